import Testing

@Test func placeholder_HeraldSendTests() { #expect(1 + 1 == 2) }
