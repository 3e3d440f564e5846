using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Requapass.Badges.Api.Options;

namespace Requapass.Badges.Api.Startup;

/// <summary>One thing that stops the start, in the words of the setting to change.</summary>
public sealed record StartupProblem(string Section, string Message);

/// <summary>
/// Every options class bound and validated by hand, before the host starts, so that all the bad
/// settings are reported together, one line each, instead of the first one as an exception. The
/// same classes are also validated on start (ValidateOnStart) for hosts that skip this check.
/// </summary>
public static class ConfigurationProblems
{
    public static List<StartupProblem> Find(IConfiguration configuration) =>
    [
        .. Check<ServiceOptions>(configuration, ServiceOptions.Section),
        .. Check<DatabaseOptions>(configuration, DatabaseOptions.Section),
        .. Check<CatalogueOptions>(configuration, CatalogueOptions.Section),
        .. Check<AuthOptions>(configuration, AuthOptions.Section),
        .. Check<SigningOptions>(configuration, SigningOptions.Section),
        .. Check<VerificationOptions>(configuration, VerificationOptions.Section),
        .. Check<StatisticsOptions>(configuration, StatisticsOptions.Section),
        .. Check<BatchOptions>(configuration, BatchOptions.Section),
        .. Check<PublicTrafficOptions>(configuration, PublicTrafficOptions.Section),
        .. Check<CachingOptions>(configuration, CachingOptions.Section),
        .. Check<EventOptions>(configuration, EventOptions.Section),
        .. Check<MailOptions>(configuration, MailOptions.Section),
        .. Check<RetentionOptions>(configuration, RetentionOptions.Section),
        .. Check<TelemetryOptions>(configuration, TelemetryOptions.Section),
        .. Check<LogFormatOptions>(configuration, LogFormatOptions.Section),
    ];

    /// <summary>The options as the service will see them; call only for a section without problems.</summary>
    public static T Bind<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    private static List<StartupProblem> Check<T>(IConfiguration configuration, string section) where T : class, new()
    {
        // Values that cannot be converted first: the binder would throw on the first one.
        var problems = typeof(T).GetProperties()
            .Where(p => p.CanWrite)
            .Select(p => (Key: $"{section}:{p.Name}", Message: Unconvertible(section, p.Name, p.PropertyType, configuration[$"{section}:{p.Name}"])))
            .Where(p => p.Message is not null).ToList();
        // The rest is still checked, with the values that failed above put back to their defaults.
        var defaults = new T();
        var usable = problems.Count == 0 ? configuration : new ConfigurationBuilder().AddConfiguration(configuration)
            .AddInMemoryCollection(problems.Select(p => new KeyValuePair<string, string?>(p.Key, Default(defaults, p.Key[(section.Length + 1)..])))).Build();
        var options = Bind<T>(usable, section);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. problems.Select(p => new StartupProblem(section, p.Message!)), .. results.Select(r => new StartupProblem(section, Phrase(section, r)))];
    }

    private static string? Unconvertible(string section, string name, Type type, string? value)
    {
        if (string.IsNullOrEmpty(value) || type == typeof(string)) { return null; }
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            // Names only: the binder would also take "7", which is no provider at all.
            var ok = !char.IsAsciiDigit(value[0]) && value[0] != '-'
                && Enum.TryParse(type, value, ignoreCase: true, out var parsed) && Enum.IsDefined(type, parsed!);
            return ok ? null : $"{section}:{name} must be one of {string.Join(", ", Enum.GetNames(type))} (got '{value}')";
        }
        if (!type.IsPrimitive && type != typeof(TimeSpan) && type != typeof(decimal)) { return null; }
        try
        {
            // The converter the configuration binder uses, with the invariant culture as it does.
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            return $"{section}:{name} must be {Kind(type)} (got '{value}')";
        }
    }

    private static string? Default(object defaults, string property)
    {
        var info = defaults.GetType().GetProperty(property)!;
        return TypeDescriptor.GetConverter(info.PropertyType).ConvertToInvariantString(info.GetValue(defaults));
    }

    private static string Kind(Type type) =>
        type == typeof(bool) ? "true or false"
        : type == typeof(TimeSpan) ? "a duration such as 00:15:00"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : $"a {type.Name}";

    /// <summary>"The field ChunkSize must be ..." becomes "Batch:ChunkSize must be ...".</summary>
    private static string Phrase(string section, ValidationResult result)
    {
        var message = result.ErrorMessage ?? "is not valid";
        if (message.Contains($"{section}:", StringComparison.Ordinal)) { return message; }
        if (result.MemberNames.FirstOrDefault() is not { } member) { return $"{section}: {message}"; }
        foreach (var lead in new[] { $"The field {member} ", $"The {member} field " })
        {
            if (message.StartsWith(lead, StringComparison.Ordinal))
            {
                return $"{section}:{member} {message[lead.Length..]}";
            }
        }
        return $"{section}:{member}: {message}";
    }
}
