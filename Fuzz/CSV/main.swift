import FuzzDriver
import Foundation
@_spi(Testing) import HeraldCore
import HeraldTemplate

// libFuzzer target: CSV bytes in (as `for_each` reads them), rows or a failure out; the rows
// then go through the JSON writer, as they do when a template prints one. Differential too:
// records without quotes or CR (and fields quoted whole with none inside) are split by Herald,
// the others read by CSV.swift; the result
// must be exactly CSV.swift's reading of every record, whole or cut into pieces (as large
// CSVs are). Each input is tried as it is and with its quotes and CRs taken out, so that
// every record is split by Herald.

func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    check(bytes)
    let plain = bytes.filter { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\r") }
    if plain.count != bytes.count { check(plain) }
    return 0
}

func check(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let reference = CSVRows.parse(text, pieces: 1, minimumBytes: 0, plainRecordsHere: false)
    let whole = CSVRows.parse(text, pieces: 1, minimumBytes: 0)
    // Findings, not user input: libFuzzer needs a crash to report them.
    if whole != reference { fatalError("records split by Herald read differently from CSV.swift's reading") }
    if CSVRows.parse(text, pieces: 3, minimumBytes: 0) != whole { fatalError("pieces parse differently from the whole text") }
    if case .success(let rows) = whole {
        var out: [UInt8] = []
        JSONWriter.append(.list(rows), to: &out)
    }
}

var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, { data, size in fuzzCSV(data, size) }))
