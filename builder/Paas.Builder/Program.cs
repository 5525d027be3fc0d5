using Paas.Builder;
using Paas.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPaasDefaults();
builder.AddBuilder();

var app = builder.Build();
app.MapBuilder();
await app.RunAsync();
