import Foundation
import HeraldTemplate
import Hummingbird
import NIOCore

/// A JSON answer of SPEC §11's table: its status, its body, and the headers some need.
package struct Answer: Sendable {
    package var status: HTTPResponse.Status
    package var body: Value
    package var headers: HTTPFields = [:]
    /// A plain-text body instead of the JSON one (`/metrics`).
    package var text: String?

    package static func error(_ status: HTTPResponse.Status, _ message: String, diagnostics: [String]? = nil) -> Answer {
        var map = OrderedMap()
        map["error"] = .string(message)
        if let diagnostics { map["diagnostics"] = .list(diagnostics.map(Value.string)) }
        return Answer(status: status, body: .map(map))
    }

    package var response: Response {
        if let text {
            var headers = self.headers
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        var bytes: [UInt8] = []
        JSONWriter.append(body, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        var headers = self.headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
