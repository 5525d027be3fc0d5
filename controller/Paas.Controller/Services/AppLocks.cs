using Npgsql;

namespace Paas.Controller.Services;

/// <summary>
/// One deployment at a time per app, across every controller replica: a PostgreSQL advisory lock
/// held on its own connection for as long as the deploy runs.
/// </summary>
public sealed class AppLocks(NpgsqlDataSource dataSource)
{
    public async Task<IAsyncDisposable> AcquireAsync(string app, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext($1))", connection);
            command.Parameters.AddWithValue("paas:app:" + app);
            await command.ExecuteNonQueryAsync(ct);
            return new Held(connection, app);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection, string app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext($1))", connection);
                command.Parameters.AddWithValue("paas:app:" + app);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing the session releases the lock in any case.
                await connection.DisposeAsync();
            }
        }
    }
}
