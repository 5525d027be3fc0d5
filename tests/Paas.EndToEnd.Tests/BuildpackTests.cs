using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>
/// Apps without a Dockerfile, built by buildpacks in a build container of the stack image (Debian
/// bookworm from debootstrap) and served through the router; nothing here needs the network.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BuildpackTests(EndToEndPlatform platform)
{
    private async Task<(User User, string App, string Repo, CommandResult Push)> PushAsync(string prefix, params (string Path, string Content)[] files)
    {
        var user = await platform.RegisterThroughApiAsync(PlatformFixture.NewAppName("bp"));
        var app = PlatformFixture.NewAppName(prefix);
        var repo = await user.RepositoryAsync(app, files);
        (await user.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");
        return (user, app, repo, await user.Git(repo, "push", "paas", "main"));
    }

    [Fact]
    public async Task A_static_site_is_detected_and_served()
    {
        var (_, app, _, push) = await PushAsync("static", ("public/index.html", "<h1>static hello</h1>\n"), ("README.md", "a site"));

        push.ShouldSucceed("git push");
        Assert.Contains("remote: -----> No Dockerfile: building with buildpacks (detecting among python, nodejs, static, procfile)", push.Stderr);
        Assert.Contains("remote: -----> Static app detected", push.Stderr);
        Assert.Contains("remote: -----> Static site: serving public/ over HTTP", push.Stderr);
        Assert.Matches(@"Timings: receive \d+\.\ds, compile \d+\.\ds, build \d+\.\ds, push \d+\.\ds, release \d+\.\ds, ready \d+\.\ds", push.Stderr);
        await platform.WaitForBodyAsync(app, "static hello");
    }

    [Fact]
    public async Task A_python_app_without_dependencies_builds_offline_and_runs_app_py()
    {
        var (_, app, _, push) = await PushAsync("python",
            ("requirements.txt", "# nothing yet\n"),
            ("app.py", """
                import http.server, os, sys
                class Hello(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        body = f"python hello from {sys.version.split()[0]}\n".encode()
                        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
                http.server.HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Hello).serve_forever()
                """));

        push.ShouldSucceed("git push");
        Assert.Contains("remote: -----> Python app detected", push.Stderr);
        Assert.Contains("No dependencies in requirements.txt; nothing to install", push.Stderr);
        Assert.Contains("Process types: web (python3 app.py)", push.Stderr);
        await platform.WaitForBodyAsync(app, "python hello from 3.11");
    }

    [Fact]
    public async Task A_node_app_runs_its_start_script()
    {
        var (_, app, _, push) = await PushAsync("node",
            ("package.json", """{ "name": "hello", "version": "1.0.0", "scripts": { "start": "node server.js" } }"""),
            ("server.js", """
                require("http").createServer((req, res) => res.end("node hello from " + process.version + "\n")).listen(process.env.PORT);
                """));

        push.ShouldSucceed("git push");
        Assert.Contains("remote: -----> Node.js app detected", push.Stderr);
        Assert.Contains("No dependencies in package.json; nothing to install", push.Stderr);
        await platform.WaitForBodyAsync(app, "node hello from v18");
    }

    [Fact]
    public async Task A_shell_app_with_only_a_Procfile_runs_its_process_types()
    {
        var (user, app, _, push) = await PushAsync("shell",
            ("Procfile", "web: ./serve.sh\nworker: while true; do sleep 60; done\n"),
            ("serve.sh", "#!/bin/bash\nmkdir -p /tmp/www && echo \"shell hello from $(uname -s)\" >/tmp/www/index.html\nexec python3 -m http.server \"$PORT\" --directory /tmp/www\n"));

        push.ShouldSucceed("git push");
        Assert.Contains("remote: -----> Procfile app detected", push.Stderr);
        Assert.Contains("Procfile declares: web, worker", push.Stderr);
        await platform.WaitForBodyAsync(app, "shell hello from Linux");
        var builds = await user.BuildsAsync(app);
        Assert.Equal("buildpack", builds[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task BUILDPACK_URL_names_a_git_buildpack_that_gets_the_config_and_keeps_its_cache_between_builds()
    {
        var user = await platform.RegisterThroughApiAsync(PlatformFixture.NewAppName("bp"));
        var buildpack = await user.RepositoryAsync(PlatformFixture.NewAppName("counter-bp"),
            ("bin/detect", "#!/bin/bash\necho Counter\n"),
            ("bin/compile", """
                #!/bin/bash
                set -e
                n=$(( $(cat "$2/count" 2>/dev/null || echo 0) + 1 ))
                echo "$n" >"$2/count"
                echo "-----> build number $n with the cache"
                echo "build $n says $(cat "$3/GREETING")" >"$1/index.html"
                """),
            ("bin/release", "#!/bin/bash\nprintf -- '---\\ndefault_process_types:\\n  web: python3 -m http.server $PORT\\n'\n"));
        var app = PlatformFixture.NewAppName("counted");
        var repo = await user.RepositoryAsync(app, ("README.md", "built by the counter buildpack\n"));
        (await user.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");
        (await user.PaasIn(repo, "config:set", $"BUILDPACK_URL=file://{buildpack}#main", "GREETING=hello")).ShouldSucceed("config:set");

        var first = await user.Git(repo, "push", "paas", "main");
        first.ShouldSucceed("first push");
        Assert.Contains($"remote: -----> Fetching buildpack file://{buildpack}#main", first.Stderr);
        Assert.Contains("remote: -----> Counter app detected", first.Stderr);
        Assert.Contains("remote: -----> build number 1 with the cache", first.Stderr);
        await platform.WaitForBodyAsync(app, "build 1 says hello");

        await File.AppendAllTextAsync(Path.Combine(repo, "README.md"), "again\n");
        await user.CommitAllAsync(repo, "second version");
        var second = await user.Git(repo, "push", "paas", "main");
        second.ShouldSucceed("second push");
        Assert.Contains("remote: -----> build number 2 with the cache", second.Stderr);
        await platform.WaitForBodyAsync(app, "build 2 says hello");
    }

    [Fact]
    public async Task A_buildpacks_file_runs_each_listed_buildpack_in_order()
    {
        var user = await platform.RegisterThroughApiAsync(PlatformFixture.NewAppName("bp"));
        var tools = Path.Combine(user.Home, "buildpacks");
        await BuildTestSupport.WriteAsync(tools,
            ("one/bin/detect", "#!/bin/bash\necho One\n"),
            ("one/bin/compile", "#!/bin/bash\necho -n 'one' >\"$1/index.html\"\n"),
            ("two/bin/detect", "#!/bin/bash\necho Two\n"),
            ("two/bin/compile", "#!/bin/bash\necho ' then two' >>\"$1/index.html\"\n"));
        var app = PlatformFixture.NewAppName("multi");
        var repo = await user.RepositoryAsync(app, (".buildpacks", $"{tools}/one\n# the second adds to the first\n{tools}/two\nstatic\n"));
        (await user.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");

        var push = await user.Git(repo, "push", "paas", "main");

        push.ShouldSucceed("git push");
        Assert.Contains($"building with the buildpacks named in .buildpacks: {tools}/one, {tools}/two, static", push.Stderr);
        Assert.True(push.Stderr.IndexOf("One app detected", StringComparison.Ordinal) < push.Stderr.IndexOf("Two app detected", StringComparison.Ordinal), push.Stderr);
        await platform.WaitForBodyAsync(app, "one then two");
    }

    [Fact]
    public async Task An_app_no_buildpack_applies_to_fails_clearly_and_leaves_nothing_behind()
    {
        var (user, app, _, push) = await PushAsync("unknown", ("README.md", "just words\n"));

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("remote:  !     No buildpack applies to this app: add a Dockerfile, a Procfile", push.Stderr);
        Assert.Contains("pre-receive hook declined", push.Stderr);
        Assert.Equal(1, await user.LatestVersionAsync(app));
        Assert.Equal("", await BuildTestSupport.ContainersAsync(platform, $"label=paas.build={app}"));
        var build = Assert.Single(await user.BuildsAsync(app));
        Assert.Equal("failed", build.GetProperty("status").GetString());
        Assert.Equal("buildpack", build.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_buildpack_that_refuses_the_app_or_fails_to_compile_fails_the_push_and_the_app_keeps_serving()
    {
        var user = await platform.RegisterThroughApiAsync(PlatformFixture.NewAppName("bp"));
        var app = PlatformFixture.NewAppName("failing");
        var repo = await user.RepositoryAsync(app, ("index.html", "still serving\n"));
        (await user.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");
        (await user.Git(repo, "push", "paas", "main")).ShouldSucceed("first push");
        await platform.WaitForBodyAsync(app, "still serving");

        (await user.PaasIn(repo, "config:set", "BUILDPACK_URL=heroku/nodejs")).ShouldSucceed("config:set");
        await File.WriteAllTextAsync(Path.Combine(repo, "index.html"), "still serving, v2\n");
        await user.CommitAllAsync(repo, "second");
        var refused = await user.Git(repo, "push", "paas", "main");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Buildpack nodejs does not apply to this app (its bin/detect refused it).", refused.Stderr);

        var broken = Path.Combine(user.Home, "broken-bp");
        await BuildTestSupport.WriteAsync(broken,
            ("bin/detect", "#!/bin/bash\necho Broken\n"),
            ("bin/compile", "#!/bin/bash\necho 'compiling... oops, the compiler is missing'\nexit 4\n"));
        (await user.PaasIn(repo, "config:set", $"BUILDPACK_URL={broken}")).ShouldSucceed("config:set");
        var failed = await user.Git(repo, "push", "paas", "main");

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("remote: compiling... oops, the compiler is missing", failed.Stderr);
        Assert.Contains($"Buildpack {broken} failed to compile the app (see its output above).", failed.Stderr);
        Assert.Equal("still serving", (await platform.BodyThroughRouterAsync(app)).Trim());
        Assert.Equal("", await BuildTestSupport.ContainersAsync(platform, $"label=paas.build={app}"));
    }
}
