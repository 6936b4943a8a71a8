import Testing
@Test func placeholderLimberDaemonTests() { #expect(Bool(true)) }
