using Paas.Hosting;
using Paas.Router;

var builder = WebApplication.CreateBuilder(args);
builder.AddPaasDefaults();
builder.AddRouter();

var app = builder.Build();
app.MapRouter();
app.Run();
