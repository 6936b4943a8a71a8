// The yardstick for the idle daemon: an async Swift program that only sleeps, linked as
// limberd is (static Swift runtime). What it costs is the floor of any Swift daemon here.
try await Task.sleep(for: .seconds(86_400))
