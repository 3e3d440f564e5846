using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Requapass.Badges.Api.Infrastructure;

public static class OpenApiSetup
{
    public static IServiceCollection AddBadgesOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Requapass Badges",
                    Version = "v1",
                    Description = "Open Badges 2.0 issuer for the REQUAPASS project: admin API under /api/v1 (bearer tokens from /api/v1/auth/token), public JSON-LD under /public.",
                };
                // The committed document must not depend on the host it was generated on.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "A token from POST /api/v1/auth/token.",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var secured = metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any()
                    && !metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any();
                if (secured)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] });
                }
                // A page at a document's URL (content negotiation) is HTML text, not the document's schema.
                foreach (var content in (operation.Responses ?? []).Values.SelectMany(r => r.Content ?? new Dictionary<string, OpenApiMediaType>()))
                {
                    if (content.Key == ContentNegotiation.Html) { content.Value.Schema = new OpenApiSchema { Type = JsonSchemaType.String }; }
                }
                // The route's body limit (Infrastructure/Limits.cs), where a client can read it before sending.
                if (operation.RequestBody is { } body)
                {
                    var limit = context.Description.ActionDescriptor.EndpointMetadata.OfType<BodyLimit>().LastOrDefault()?.Bytes ?? Limits.DefaultBody;
                    body.Description = $"At most {limit:N0} bytes; a larger body is refused with 413.";
                }
                return Task.CompletedTask;
            });
        });
}
