using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// A query compiled with <c>EF.CompileAsyncQuery</c>
/// once per EF Core model: a compiled query serves the one model it first ran against, and SQLite's
/// and PostgreSQL's models differ (one process holds both in the tests). The hot reads use it to skip
/// EF Core's per-call expression work (issue #14).
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConcurrentDictionary<IModel, TQuery> _compiled = new();

    /// <summary>The query compiled for <paramref name="db"/>'s model.</summary>
    public TQuery For(DbContext db) => _compiled.GetOrAdd(db.Model, _ => compile());
}
