// The yardstick for `limber status`: a Swift program that starts, prints a line and exits,
// linked as limber is (static Swift runtime), so the difference is limber's own work.
print("idle")
