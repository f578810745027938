import Foundation

/// What an answer from the relay means (docs/sending.md).
package enum Verdict: Equatable, Sendable {
    case delivered
    /// Try again; `after` is a wait the server asked for (Retry-After, the 45009 window), else
    /// the runner backs off. `wait` is what the report calls that wait.
    case retry(after: Double?, reason: String, wait: WaitReason)
    case final(reason: String)
    /// The relay may have delivered it (its answer was cut short): not retried, not counted
    /// as delivered or failed.
    case uncertain(reason: String)
}

struct RelayAnswer: Equatable {
    var status: Int?
    var code: Int?
    var msg: String?
    var hint: String?
}

enum ResponseClassifier {
    static func classify(status: Int, body: [UInt8], retryAfter: String?, now: Date, options: SendOptions,
                         location: String? = nil) -> (Verdict, RelayAnswer) {
        var answer = RelayAnswer(status: status)
        let read = RelayAnswerReader.read(body)
        if case .success(let parsed) = read {
            answer.code = parsed.code
            answer.msg = parsed.msg
            answer.hint = parsed.hint
        }
        let waitAsked = retryAfter.flatMap { RetryAfter.seconds($0, now: now) }.map { min($0, options.retryAfterCap) }
        switch status {
        case 200..<300:
            let parsed: RelayAnswerReader.Answer
            switch read {
            case .success(let p): parsed = p
            case .failure(.cutShort):
                return (.uncertain(reason: "HTTP \(status), but \(RelayAnswerReader.Problem.cutShort); it may have been delivered"), answer)
            case .failure(let problem):
                return (.final(reason: "HTTP \(status), but \(problem), not the relay's {\"code\": 0, …}"), answer)
            }
            guard let codeText = parsed.codeText else {
                return (.final(reason: "HTTP \(status), but the answer has no 'code'"), answer)
            }
            // Only the JSON integer 0 is delivered: not "0", 0.0, false or null.
            if codeText == "0" { return (.delivered, answer) }
            guard let code = parsed.code, code != 0 else {
                return (.final(reason: "HTTP \(status), but the answer's 'code' is \(Self.shown(codeText)), not the integer 0"), answer)
            }
            let text = [answer.msg, answer.hint].compactMap { $0 }.joined(separator: " ")
            if text.contains("45009") || text.lowercased().contains("api freq out of limit") {
                return (.retry(after: max(options.rateWindow, waitAsked ?? 0), reason: "WeCom rate limit (45009)", wait: .weComRateLimit), answer)
            }
            // DingTalk: 130101 "send too fast" waits for the window like 45009; 460101 (too long) is final.
            if code == 130101 || Self.mentions(text, code: "130101") {
                return (.retry(after: max(options.rateWindow, waitAsked ?? 0), reason: "DingTalk rate limit (130101)", wait: .dingTalkRateLimit), answer)
            }
            if code == 460101 || Self.mentions(text, code: "460101") {
                return (.final(reason: "DingTalk message too long (460101)"), answer)
            }
            if Self.mentions(text, code: "-1")
                || text.lowercased().contains("system busy") || text.contains("系统繁忙") {
                return (.retry(after: waitAsked, reason: "WeCom busy (-1)", wait: waitAsked == nil ? .backoff : .retryAfter), answer)
            }
            return (.final(reason: "relay answered code \(code)"), answer)
        case 300..<400:
            // Never followed (HTTPTransport): a relay that redirects is misconfigured or not the relay.
            return (.final(reason: "HTTP \(status) redirect to \(Self.redirectTarget(location)), not followed (a relay answers, it does not redirect; check the endpoint)"), answer)
        case 429:
            return (.retry(after: waitAsked, reason: "HTTP 429", wait: waitAsked == nil ? .backoff : .retryAfter), answer)
        case 500..<600:
            return (.retry(after: waitAsked, reason: "HTTP \(status)", wait: waitAsked == nil ? .backoff : .retryAfter), answer)
        default:
            return (.final(reason: "HTTP \(status)"), answer)
        }
    }

    /// A `code` as written, shortened: it is the relay's text, shown in errors.
    static func shown(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    /// A redirect's target as `scheme://host[:port]` only: its path or query may hold a key.
    static func redirectTarget(_ location: String?) -> String {
        guard let location, !location.isEmpty else { return "no Location" }
        guard let components = URLComponents(string: location), let host = components.host, !host.isEmpty else {
            return location.hasPrefix("/") ? "a path on the same host" : "an unreadable Location"
        }
        var target = (components.scheme.map { $0 + "://" } ?? "") + host
        if let port = components.port { target += ":\(port)" }
        return target
    }

    /// `code` as a whole number in the text (not inside a longer number).
    static func mentions(_ text: String, code: String) -> Bool {
        text.range(of: "(^|[^0-9])" + NSRegularExpression.escapedPattern(for: code) + "([^0-9]|$)", options: .regularExpression) != nil
    }
}

/// `Retry-After` as seconds: a number, or an HTTP-date.
enum RetryAfter {
    static func seconds(_ value: String, now: Date) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let s = Double(text), s >= 0 { return s }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return max(0, date.timeIntervalSince(now)) }
        }
        return nil
    }
}
