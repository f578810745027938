import Foundation

/// What an answer from the relay means (docs/sending.md).
enum Verdict: Equatable {
    case delivered
    /// Try again; `after` is a wait the server asked for (Retry-After, the 45009 window), else
    /// the runner backs off. `wait` is what the report calls that wait.
    case retry(after: Double?, reason: String, wait: WaitReason)
    case final(reason: String)
}

struct RelayAnswer: Equatable {
    var status: Int?
    var code: Int?
    var msg: String?
    var hint: String?
}

enum ResponseClassifier {
    static func classify(status: Int, body: [UInt8], retryAfter: String?, now: Date, options: SendOptions) -> (Verdict, RelayAnswer) {
        var answer = RelayAnswer(status: status)
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        if let object {
            answer.code = (object["code"] as? NSNumber)?.intValue
            answer.msg = object["msg"].map { "\($0)" }
            answer.hint = object["hint"].map { "\($0)" }
        }
        let waitAsked = retryAfter.flatMap { RetryAfter.seconds($0, now: now) }.map { min($0, options.retryAfterCap) }
        switch status {
        case 200..<300:
            guard object != nil, let code = answer.code else {
                return (.final(reason: "HTTP \(status) with an answer that is not the relay's JSON"), answer)
            }
            if code == 0 { return (.delivered, answer) }
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
        case 429:
            return (.retry(after: waitAsked, reason: "HTTP 429", wait: waitAsked == nil ? .backoff : .retryAfter), answer)
        case 500..<600:
            return (.retry(after: waitAsked, reason: "HTTP \(status)", wait: waitAsked == nil ? .backoff : .retryAfter), answer)
        default:
            return (.final(reason: "HTTP \(status)"), answer)
        }
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
