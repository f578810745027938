import Testing

@Test func placeholder_HeraldCLITests() { #expect(1 + 1 == 2) }
