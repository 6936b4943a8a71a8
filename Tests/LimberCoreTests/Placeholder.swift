import Testing
@Test func placeholderLimberCoreTests() { #expect(Bool(true)) }
