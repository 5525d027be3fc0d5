using Paas.Controller;
using Paas.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPaasDefaults();
builder.AddController();

var app = builder.Build();
app.UseController();
await app.MigrateDatabaseAsync();
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
