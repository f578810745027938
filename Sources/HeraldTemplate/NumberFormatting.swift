import Foundation

/// `number: N`: fixed decimals, rounding half away from zero on the value's shortest
/// decimal form (2.675 → 2.68, 2.5 → 3, -2.5 → -3), never on its binary approximation.
enum NumberFormatting {
    /// `fixed(.double(d), places:)` printed straight into `out`, when binary arithmetic gives
    /// the answer for certain; false (and nothing written) when only the decimal text can.
    ///
    /// The shortest decimal form of `d` lies within half an ulp of `d`; scaled by 10^places
    /// that is within an ulp of `t = |d| × 10^places`, and computing `t` adds half an ulp
    /// more. So when `t`'s fraction is further than that from one half, `d` and its
    /// decimal form round the same way and `t`'s whole part (exact below 2^52) is the answer.
    static func appendFixed(_ d: Double, places: Int, to out: inout OutputBuffer) -> Bool {
        guard places >= 0, places <= 15 else { return false }
        // 10^places, exact as a Double up to 10^22.
        var scale: UInt64 = 1
        for _ in 0..<places { scale &*= 10 }
        let t = d.magnitude * Double(scale)
        // Also false for NaN and infinity.
        guard t < 0x1p52 else { return false }
        let whole = UInt64(t)
        let fraction = t - Double(whole)
        // At least 4 ulps of t (an ulp is at most t × 2^-52).
        let margin = t * 0x1p-50
        let units: UInt64
        if fraction > 0.5 + margin {
            units = whole + 1
        } else if fraction < 0.5 - margin {
            units = whole
        } else {
            return false
        }
        // As in the text path: a minus sign only on a result that is not all zeros.
        out.appendFixedPoint(units, places: places, negative: d.sign == .minus && units != 0)
        return true
    }

    static func fixed(_ value: Value, places: Int) -> String? {
        let decimalText: String
        switch value {
        case .int(let i): return places == 0 ? String(i) : String(i) + "." + String(repeating: "0", count: places)
        case .double(let d):
            guard d.isFinite else { return nil }
            decimalText = d.description
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            guard let d = Double(t), d.isFinite, t.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
            decimalText = t
        default: return nil
        }
        guard case (let negative, var digits, var pointIndex)? = decompose(decimalText) else { return nil }
        // digits with an implied decimal point after `pointIndex` digits; round at `places`.
        let keep = pointIndex + places
        if keep < 0 {
            digits = [0]
            pointIndex = 1
        } else if keep < digits.count {
            let roundUp = digits[keep] >= 5
            digits = Array(digits[..<keep])
            if roundUp {
                var k = digits.count - 1
                while k >= 0 {
                    if digits[k] == 9 { digits[k] = 0; k -= 1 } else { digits[k] += 1; break }
                }
                if k < 0 { digits.insert(1, at: 0); pointIndex += 1 }
            }
        }
        while digits.count < pointIndex + places { digits.append(0) }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + 3)
        if negative, digits.contains(where: { $0 != 0 }) { out.append(UInt8(ascii: "-")) }
        var leading = true
        for d in digits[..<pointIndex] where !(leading && d == 0) {
            leading = false
            out.append(UInt8(0x30 + d))
        }
        if leading { out.append(UInt8(ascii: "0")) }
        if places > 0 {
            out.append(UInt8(ascii: "."))
            for d in digits[pointIndex..<pointIndex + places] { out.append(UInt8(0x30 + d)) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// "-12.5e3" → (true, [1,2,5], pointIndex 5): the value is 0.d1d2… × 10^pointIndex.
    /// Works on ASCII bytes: this runs once per `number` filter per message.
    private static func decompose(_ text: String) -> (Bool, [Int], Int)? {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() } else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var exponent = 0
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let x = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self)) else { return nil }
            exponent = x
            bytes = bytes[..<e]
        }
        var digits: [Int] = []
        digits.reserveCapacity(bytes.count)
        var intCount = -1
        for b in bytes {
            if b == UInt8(ascii: ".") {
                guard intCount < 0 else { return nil }
                intCount = digits.count
            } else if b >= 0x30 && b <= 0x39 {
                digits.append(Int(b - 0x30))
            } else {
                return nil
            }
        }
        if intCount < 0 { intCount = digits.count }
        guard !digits.isEmpty else { return nil }
        var pointIndex = intCount + exponent
        // Leading zeros move the point.
        while digits.count > 1, digits.first == 0 { digits.removeFirst(); pointIndex -= 1 }
        if pointIndex < 0 {
            digits = Array(repeating: 0, count: -pointIndex) + digits
            pointIndex = 0
        }
        return (negative, digits, pointIndex)
    }
}
