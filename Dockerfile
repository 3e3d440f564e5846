# syntax=docker/dockerfile:1
# Requapass Badges: build with the SDK, run on the ASP.NET runtime as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# global.json pins the SDK for developers; the image brings its own 10.0 SDK, so it is not copied.
# Project files first: this restore layer is reused until a project or a package version changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Requapass.Badges.Core/Requapass.Badges.Core.csproj src/Requapass.Badges.Core/
COPY src/Requapass.Badges.Data/Requapass.Badges.Data.csproj src/Requapass.Badges.Data/
COPY src/Requapass.Badges.Api/Requapass.Badges.Api.csproj src/Requapass.Badges.Api/
RUN dotnet restore src/Requapass.Badges.Api/Requapass.Badges.Api.csproj
COPY src/ src/
RUN dotnet publish src/Requapass.Badges.Api/Requapass.Badges.Api.csproj -c Release -o /app --no-restore /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# The .NET images ship a non-root "app" user (uid 1654); it owns only the data folder. A named
# volume starts as a copy of this folder, so it is the app user's too; a host folder is not (README).
RUN mkdir -p /app/data && chown app:app /app/data
USER app
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Service__DataDirectory=/app/data
EXPOSE 8080
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["dotnet", "Requapass.Badges.Api.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "Requapass.Badges.Api.dll"]
