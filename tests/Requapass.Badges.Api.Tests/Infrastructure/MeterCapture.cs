using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>
/// The measurements one service makes on one meter: a MeterListener limited to the meters of that
/// service's IMeterFactory, so another test host in the process cannot add to the counts.
/// </summary>
public sealed class MeterCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measurements = new();

    public MeterCapture(IMeterFactory scope, string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, scope)) { listener.EnableMeasurementEvents(instrument); }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, string?>();
            foreach (var tag in tags) { copy[tag.Key] = tag.Value?.ToString(); }
            _measurements.Enqueue((instrument.Name, value, copy));
        });
        _listener.Start();
    }

    /// <summary>The sum on <paramref name="instrument"/> of the measurements that carry all of <paramref name="tags"/>.</summary>
    public long Sum(string instrument, params (string Key, string Value)[] tags) => _measurements
        .Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value))
        .Sum(m => m.Value);

    /// <summary>Every tag set seen on <paramref name="instrument"/>, as "key=value,key=value".</summary>
    public IEnumerable<string> TagSets(string instrument) => _measurements.Where(m => m.Instrument == instrument)
        .Select(m => string.Join(",", m.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")));

    public void Dispose() => _listener.Dispose();
}
