/// What kind of guided session a script describes.
public enum SessionKind: String, CaseIterable, Sendable, Codable, Hashable {
    case exercise
    case heat
    case mindfulness
    case posture
}
