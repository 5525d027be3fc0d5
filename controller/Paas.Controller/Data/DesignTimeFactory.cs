using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Paas.Controller.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the controller.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PaasDbContext>
{
    public PaasDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PaasDbContext>().UseNpgsql(ControllerHosting.DefaultDatabase).Options);
}
