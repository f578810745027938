import Testing

@Test func placeholder_HeraldCoreTests() { #expect(1 + 1 == 2) }
