/// Indented copies of a partial, made on first use from any thread.
final class IndentedVariants: Sendable {
    private let variants = Locked<[String: Template]>([:])

    func variant(_ indentation: String, make: () -> Template) -> Template {
        if let t = variants.withLock({ $0[indentation] }) { return t }
        let t = make()
        variants.withLock { $0[indentation] = t }
        return t
    }
}
