global using NUnit.Framework;
global using Microsoft.Extensions.Time.Testing;
