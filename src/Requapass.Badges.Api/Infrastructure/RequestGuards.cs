using Microsoft.AspNetCore.Http.Features;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>A route's largest accepted body, in bytes; routes without one take <see cref="Limits.DefaultBody"/>.</summary>
public sealed record BodyLimit(long Bytes);

/// <summary>
/// Checks made on every request before its handler: the URL's path and query hold text the stores
/// can keep (<see cref="TextRules"/>), and the body stays within the route's limit. The limit is
/// checked against Content-Length at once, and counted while the body is read (chunked bodies, and
/// hosts that do not enforce it themselves), so an oversized body is a 413 problem, never buffered.
/// </summary>
public static class RequestGuards
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes));

    /// <summary>The limit of the route the request matched.</summary>
    public static long LimitOf(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>()?.Bytes ?? Limits.DefaultBody;

    public static string TooLargeDetail(long limit) =>
        $"The request body is larger than this route accepts ({limit:N0} bytes at most).";

    /// <summary>Runs after routing, so it knows the route's limit.</summary>
    public static IApplicationBuilder UseRequestGuards(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        var textProblem = TextRules.Problem(request.Path.Value ?? "") is { } pathProblem ? ("the path", pathProblem)
            : TextRules.FirstProblem(request.Query) is { } queryProblem ? ($"the query parameter '{queryProblem.Field}'", queryProblem.Problem)
            : default((string, string)?);
        if (textProblem is var (where, why))
        {
            await Problems.WriteAsync(http, 400, "invalid-text", "The URL holds text the service does not accept.", $"{Capitalised(where)} {why}.");
            return;
        }
        var limit = LimitOf(http);
        if (request.ContentLength > limit)
        {
            await Problems.WriteAsync(http, 413, "too-large", "Request body too large.", TooLargeDetail(limit));
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) { size.MaxRequestBodySize = limit; }
        if (http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true)
        {
            request.Body = new LimitedReadStream(request.Body, limit);
        }
        await next(http);
    });

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>Counts what is read and refuses past the limit with the 413 Kestrel itself would raise.</summary>
    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            return _read > limit
                ? throw new BadHttpRequestException(TooLargeDetail(limit), StatusCodes.Status413PayloadTooLarge)
                : read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
