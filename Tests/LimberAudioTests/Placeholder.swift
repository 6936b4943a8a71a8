import Testing
@Test func placeholderLimberAudioTests() { #expect(Bool(true)) }
