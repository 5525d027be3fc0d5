using Paas.Builder.Buildpacks;
using Paas.Builder.Builds;
using Paas.Testing;

namespace Paas.Builder.Tests;

/// <summary>Which buildpacks a build runs, and what the shipped ones' real bin/detect scripts say about sample apps.</summary>
public sealed class BuildpackDetectionTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("paas-detect-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Without_BUILDPACK_URL_or_buildpacks_file_the_shipped_buildpacks_are_detected_languages_first()
    {
        var plan = BuildpackPlan.For(null, null);

        Assert.Equal(BuildpackPlan.Mode.Detect, plan.RunMode);
        Assert.Equal(["python", "nodejs", "static", "procfile"], plan.Buildpacks.Select(b => b.Name));
    }

    [Fact]
    public void BUILDPACK_URL_wins_over_a_buildpacks_file_and_runs_without_detection_order()
    {
        var plan = BuildpackPlan.For("https://example.com/bp.git#v2", "nodejs\n");

        Assert.Equal(BuildpackPlan.Mode.All, plan.RunMode);
        var git = Assert.IsType<BuildpackSource.Git>(Assert.Single(plan.Buildpacks));
        Assert.Equal(("https://example.com/bp.git", "v2"), (git.Url, git.Ref));
        Assert.Equal("BUILDPACK_URL", plan.Reason);
    }

    [Fact]
    public void A_buildpacks_file_lists_several_in_order_skipping_comments_and_blank_lines()
    {
        var plan = BuildpackPlan.For("", "# first the runtime\nheroku/nodejs\n\n/opt/buildpacks/extra\nhttps://example.com/last.git\n");

        Assert.Equal(BuildpackPlan.Mode.All, plan.RunMode);
        Assert.Collection(plan.Buildpacks,
            b => Assert.Equal(new BuildpackSource.Shipped("nodejs"), b),
            b => Assert.Equal(new BuildpackSource.LocalPath("/opt/buildpacks/extra"), b),
            b => Assert.Equal(new BuildpackSource.Git("https://example.com/last.git", null), b));
    }

    [Theory]
    [InlineData("python", "python")]
    [InlineData("heroku/python", "python")]
    [InlineData("heroku/node", "nodejs")]
    [InlineData("static", "static")]
    public void Shipped_buildpacks_are_named_as_Paas_or_Heroku_names_them(string text, string shipped) =>
        Assert.Equal(new BuildpackSource.Shipped(shipped), BuildpackPlan.Parse(text));

    [Fact]
    public void Something_that_is_no_buildpack_reference_is_refused_with_what_would_be()
    {
        var error = Assert.Throws<BuildFailedException>(() => BuildpackPlan.Parse("ruby"));
        Assert.Contains("neither a shipped one (python, nodejs, static, procfile)", error.Message);
    }

    [Fact]
    public void Release_output_gives_default_process_types_and_config_vars()
    {
        var release = ReleaseYaml.Parse("---\naddons: []\ndefault_process_types:\n  web: python3 -m http.server $PORT\n  worker: 'python3 jobs.py'\nconfig_vars:\n  LANG: \"en_US.UTF-8\"\n");

        Assert.Equal(new Dictionary<string, string> { ["web"] = "python3 -m http.server $PORT", ["worker"] = "python3 jobs.py" }, release.DefaultProcessTypes);
        Assert.Equal(new Dictionary<string, string> { ["LANG"] = "en_US.UTF-8" }, release.ConfigVars);
        Assert.Empty(ReleaseYaml.Parse("---\ndefault_process_types: {}\n").DefaultProcessTypes);
    }

    /// <summary>Runs every shipped bin/detect, in detection order, as the build container would; returns the first that accepts.</summary>
    private async Task<string?> DetectAsync(params (string Path, string Content)[] files)
    {
        var app = Path.Combine(work, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(app);
        foreach (var (path, content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(app, path))!);
            await File.WriteAllTextAsync(Path.Combine(app, path), content);
        }
        foreach (var name in BuildpackPlan.ShippedOrder)
        {
            var detect = Path.Combine(RepoPaths.Root, "builder", "buildpacks", name, "bin", "detect");
            var result = await Processes.RunAsync("bash", [detect, app]);
            if (result.ExitCode == 0) return $"{name}: {result.Stdout.Trim()}";
        }
        return null;
    }

    [Fact]
    public async Task The_shipped_detect_scripts_pick_the_first_buildpack_that_applies()
    {
        Assert.Equal("python: Python", await DetectAsync(("requirements.txt", ""), ("package.json", "{}"), ("index.html", "")));
        Assert.Equal("nodejs: Node.js", await DetectAsync(("package.json", "{}"), ("public/index.html", ""), ("Procfile", "web: node x")));
        Assert.Equal("static: Static", await DetectAsync(("public/index.html", "<h1>hi</h1>")));
        Assert.Equal("static: Static", await DetectAsync(("index.html", "<h1>hi</h1>"), ("Procfile", "web: ./serve")));
        Assert.Equal("procfile: Procfile", await DetectAsync(("Procfile", "web: ./serve"), ("serve", "#!/bin/sh")));
        Assert.Null(await DetectAsync(("README.md", "nothing to run")));
    }
}
