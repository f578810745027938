import Foundation
import HeraldCore
import NIOSSL

/// Trusted roots added to the system's: `SSL_CERT_FILE` and `--cacert FILE` (PEM), for a
/// company CA or a proxy that inspects TLS. Loaded before anything is sent, so a bad file is
/// a usage error rather than a failed request.
public struct TLSSettings: Sendable {
    public var additionalRoots: [NIOSSLCertificate]
    /// Where the roots came from, for messages.
    public var sources: [String]

    public static let system = TLSSettings(additionalRoots: [], sources: [])

    public init(additionalRoots: [NIOSSLCertificate], sources: [String]) {
        self.additionalRoots = additionalRoots
        self.sources = sources
    }

    public struct InvalidFile: Error, CustomStringConvertible {
        public var description: String
    }

    public static func load(cacert: String?, environment: [String: String]) throws(InvalidFile) -> TLSSettings {
        var settings = TLSSettings.system
        if let file = environment["SSL_CERT_FILE"], !file.isEmpty {
            settings.additionalRoots += try certificates(in: file, source: "SSL_CERT_FILE")
            settings.sources.append(file)
        }
        if let cacert {
            settings.additionalRoots += try certificates(in: cacert, source: "--cacert")
            settings.sources.append(cacert)
        }
        return settings
    }

    static func certificates(in path: String, source: String) throws(InvalidFile) -> [NIOSSLCertificate] {
        let bytes: [UInt8]
        // The reader the job's own files go through: a device, a FIFO or a huge file is refused, not read forever.
        switch FileContents.read(path, limit: 16 << 20) {
        case .success(let b): bytes = b
        case .failure(.missing): throw InvalidFile(description: "\(source) \(path): cannot read it (\(Sys.describe(errno: Sys.noSuchFile)))")
        case .failure(let failure): throw InvalidFile(description: "\(source) \(path): cannot read it (it \(failure.reason))")
        }
        let certificates = (try? NIOSSLCertificate.fromPEMBytes(bytes)) ?? []
        guard !certificates.isEmpty else {
            throw InvalidFile(description: "\(source) \(path): holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        return certificates
    }
}
