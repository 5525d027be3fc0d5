using Paas.Builder;
using Paas.Builder.Ssh;
using Paas.Hosting;

// sshd runs this same program as its AuthorizedKeysCommand and forced command (see SshRelay).
if (SshRelay.Handles(args)) return await SshRelay.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddPaasDefaults();
builder.AddBuilder();

var app = builder.Build();
app.MapBuilder();
await app.RunAsync();
return 0;
