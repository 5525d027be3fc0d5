namespace Paas.Controller.Api;

public static class ControllerApi
{
    /// <summary>Every endpoint of the controller's API. Authentication is required unless an endpoint says otherwise.</summary>
    public static IEndpointRouteBuilder MapControllerApi(this IEndpointRouteBuilder routes)
    {
        // GET /v2/ is how Deis clients check that a URL is a controller: 401 without a token.
        routes.MapGet("/v2", () => Results.Json(new { })).WithTags("root");
        routes.MapAuthApi();
        routes.MapAppsApi();
        routes.MapReleasesApi();
        routes.MapConfigApi();
        routes.MapBuildsApi();
        routes.MapProcessesApi();
        routes.MapPeopleApi();
        routes.MapRoutingApi();
        routes.MapHooksApi();
        return routes;
    }
}
