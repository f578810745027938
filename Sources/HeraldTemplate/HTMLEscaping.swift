/// The one HTML escaper: `&`, `<`, `>` and `"` as entities. Spec mode escapes `{{x}}` with
/// it (straight into the render buffer), and the preview page escapes its text with it.
public enum HTMLEscaping {
    public static func escape(_ text: String) -> String {
        var buffer = OutputBuffer(capacity: text.utf8.count + 16)
        buffer.appendHTMLEscaped(text)
        return buffer.makeString()
    }
}
