import NIOSSL

/// Fixed certificates for loopback TLS tests (made once with Python's `cryptography`, valid
/// 2020–2120): a test CA, a relay certificate it signed for 127.0.0.1 and localhost, and one
/// it signed for another name. Test keys only; nothing outside tests trusts this CA.
public enum TestCertificates {
    /// The test CA (what `--cacert` or `SSL_CERT_FILE` would name).
    public static let caPEM = """
-----BEGIN CERTIFICATE-----
MIIBkzCCATmgAwIBAgIBATAKBggqhkjOPQQDAjAwMRUwEwYDVQQKDAxIZXJhbGQg
VGVzdHMxFzAVBgNVBAMMDkhlcmFsZCBUZXN0IENBMCAXDTIwMDEwMTAwMDAwMFoY
DzIxMjAwMTAxMDAwMDAwWjAwMRUwEwYDVQQKDAxIZXJhbGQgVGVzdHMxFzAVBgNV
BAMMDkhlcmFsZCBUZXN0IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAERZWZ
IcPlXP5GQ0oVw3gpl/3S9JDROgnF672gNAxadzHR70yl8DUq99miyDppfln0ey8g
Rve2tLowW1t/RvX1BKNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMC
AQYwHQYDVR0OBBYEFIumS1HzmSeshyNb9ulA/fMgi52LMAoGCCqGSM49BAMCA0gA
MEUCIQCcXSHng5cXyirYEdfA9a8LxFdsBK7xptdhAQv+jNhKTQIgDnLIL3+hqIKr
i86xtlwWsFgEQdTA11aXmch29mmUZX0=
-----END CERTIFICATE-----
"""
    /// For 127.0.0.1 and localhost, signed by the test CA.
    public static let relayPEM = """
-----BEGIN CERTIFICATE-----
MIIBvzCCAWSgAwIBAgIBAjAKBggqhkjOPQQDAjAwMRUwEwYDVQQKDAxIZXJhbGQg
VGVzdHMxFzAVBgNVBAMMDkhlcmFsZCBUZXN0IENBMCAXDTIwMDEwMTAwMDAwMFoY
DzIxMjAwMTAxMDAwMDAwWjArMRUwEwYDVQQKDAxIZXJhbGQgVGVzdHMxEjAQBgNV
BAMMCTEyNy4wLjAuMTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABGgNaiooFXZ9
3Fa3d/P7OW78cgA/KdPPvKyw7Wj9wNbgGHWoI0iCoZ0PpmoC+IKl3AB5+N1aBB7q
sUGU4xaztmCjcjBwMAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQDAgeAMBMGA1Ud
JQQMMAoGCCsGAQUFBwMBMBoGA1UdEQQTMBGHBH8AAAGCCWxvY2FsaG9zdDAfBgNV
HSMEGDAWgBSLpktR85knrIcjW/bpQP3zIIudizAKBggqhkjOPQQDAgNJADBGAiEA
qermc9kt50tt4HEP/Yv/eoEEqhBxwHxYYvlhr36XdYgCIQChCuwVtySTaqJCsslB
dmwvnc9vZ/eDf2mcORWTKKf/Xw==
-----END CERTIFICATE-----
"""
    /// The key of `relayPEM`.
    public static let relayKeyPEM = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgU6EUL9juKJlvsEAw
EdwUFRHTUdwlv6o32g3TouOcorChRANCAARoDWoqKBV2fdxWt3fz+zlu/HIAPynT
z7yssO1o/cDW4Bh1qCNIgqGdD6ZqAviCpdwAefjdWgQe6rFBlOMWs7Zg
-----END PRIVATE KEY-----
"""
    /// For relay.example.invalid only, signed by the test CA: a name mismatch on 127.0.0.1.
    public static let otherNamePEM = """
-----BEGIN CERTIFICATE-----
MIIB0DCCAXagAwIBAgIBAzAKBggqhkjOPQQDAjAwMRUwEwYDVQQKDAxIZXJhbGQg
VGVzdHMxFzAVBgNVBAMMDkhlcmFsZCBUZXN0IENBMCAXDTIwMDEwMTAwMDAwMFoY
DzIxMjAwMTAxMDAwMDAwWjA3MRUwEwYDVQQKDAxIZXJhbGQgVGVzdHMxHjAcBgNV
BAMMFXJlbGF5LmV4YW1wbGUuaW52YWxpZDBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABNdfpyJGRs8fJyCj6Kgorhnri9DiMfQFM+UsGliqY+L47eesv3nD6563yRxo
cLbxLynQmnpE34JR1x8kHZ5m96OjeDB2MAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/
BAQDAgeAMBMGA1UdJQQMMAoGCCsGAQUFBwMBMCAGA1UdEQQZMBeCFXJlbGF5LmV4
YW1wbGUuaW52YWxpZDAfBgNVHSMEGDAWgBSLpktR85knrIcjW/bpQP3zIIudizAK
BggqhkjOPQQDAgNIADBFAiA9ReVKvM/d1SM2YD9QSdnEKNlTfB+0rc5z/uhQeFaQ
0gIhALLS33bwymELkwqL9okHXSYEwarHUNkNPPMeoN2+yHDc
-----END CERTIFICATE-----
"""
    /// The key of `otherNamePEM`.
    public static let otherNameKeyPEM = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgVaN1a9YbmT1idDao
naHnAUccLPKgI7dduclAZYhh3VyhRANCAATXX6ciRkbPHycgo+ioKK4Z64vQ4jH0
BTPlLBpYqmPi+O3nrL95w+uet8kcaHC28S8p0Jp6RN+CUdcfJB2eZvej
-----END PRIVATE KEY-----
"""

    /// A server identity for `LoopbackRelay(tls:)`.
    public struct Identity: Sendable {
        public var certificatePEM: String
        public var keyPEM: String

        public static let relay = Identity(certificatePEM: relayPEM, keyPEM: relayKeyPEM)
        public static let otherName = Identity(certificatePEM: otherNamePEM, keyPEM: otherNameKeyPEM)

        func serverContext() throws -> NIOSSLContext {
            let certificate = try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
            let key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
            return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        }
    }
}
