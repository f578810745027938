/// Herald's version, shown by `herald --version` and sent as `User-Agent: herald/<version>`.
public enum HeraldVersion {
    public static let current = "0.1.0"
}
