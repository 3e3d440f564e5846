namespace Requapass.Badges.Api.Features.Baking;

/// <summary>Reads an uploaded badge image: the raw body, or one file of a multipart form.</summary>
public static class BakedUpload
{
    /// <summary>
    /// The image bytes (at most <paramref name="maxBytes"/>, counted while reading), the form when the
    /// request was multipart (for its other fields), or a plain reason for a 400.
    /// </summary>
    public static async Task<(byte[]? Bytes, IFormCollection? Form, string? Error)> ReadAsync(
        HttpRequest request, int maxBytes, string field, CancellationToken ct)
    {
        var limit = $"{maxBytes / (1024 * 1024)} MB";
        if (request.ContentLength > maxBytes + 64 * 1024) { return (null, null, $"The upload is larger than {limit}."); }
        Stream source = request.Body;
        IFormCollection? form = null;
        if (request.HasFormContentType)
        {
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (null, null, $"The upload is larger than {limit}.");
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                // No boundary, another boundary than the parts use, a body cut short: the form cannot be read.
                return (null, null, $"The multipart body cannot be read ({e.Message.TrimEnd('.')}). Send a multipart/form-data body with a boundary, and the image in the field '{field}'.");
            }
            var file = form.Files.GetFile(field) ?? form.Files.FirstOrDefault();
            if (file is null) { return (null, form, $"Send the image as the multipart field '{field}'."); }
            if (file.Length > maxBytes) { return (null, form, $"The image is larger than {limit}."); }
            if (file.Length == 0) { return (null, form, "The image is empty: send a PNG or SVG."); }
            // The form already buffered the file and knows its length: one copy, straight into place.
            var bytes = new byte[file.Length];
            await using var stream = file.OpenReadStream();
            await stream.ReadExactlyAsync(bytes, ct);
            return (bytes, form, null);
        }
        await using (source)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await source.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > maxBytes) { return (null, form, $"The image is larger than {limit}."); }
                buffer.Write(chunk, 0, read);
            }
            return buffer.Length == 0 ? (null, form, "The body is empty: send a PNG or SVG.") : (buffer.ToArray(), form, null);
        }
    }
}
