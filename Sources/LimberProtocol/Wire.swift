// The protocol's messages, JSON values and the status text live in LimberWire, which needs
// no Foundation, so that the thin `limber` can link them alone. Every user of LimberProtocol
// sees them as before; this target adds the Foundation codec and the blocking client.
@_exported import LimberWire
