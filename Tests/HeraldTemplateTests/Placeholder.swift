import Testing

@Test func placeholder_HeraldTemplateTests() { #expect(1 + 1 == 2) }
