import PostgresNIO
import Testing

/// Without `HERALD_TEST_POSTGRES_URL` the PostgreSQL runs of the store tests do not exist (and
/// `PostgresStoreTests` is disabled): this test is the one line in the output that says so, and
/// how to run them. With it, it checks the test server answers.
@Suite struct PostgresSkipNoticeTests {
    @Test(.enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipped)))
    func theTestServerAnswers() async throws {
        let url = try #require(PostgresTestDatabase.url)
        let one = try await PostgresTestDatabase.withConnection(url) { connection in
            try await connection.query("SELECT 1 AS one", logger: PostgresTestDatabase.logger).collect().first?
                .makeRandomAccess()["one"].decode(Int.self)
        }
        #expect(one == 1)
    }
}
