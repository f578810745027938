import Foundation
import HeraldCore
import Testing

/// The Swift splitter against an independent implementation of the same contract
/// (Tests/Fixtures/split-reference/split_reference.py, written without reading the Swift):
/// random over-the-limit cases from the reference's generator, every part byte for byte.
@Suite struct SplitDifferentialTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/split-reference/split_reference.py")

    struct Case: Codable {
        var text: String
        var limit: Int
        var syntax: String
        var mode: String
        var mention: String
    }

    struct Answer: Codable, Equatable {
        var parts: [String]?
        var error: Bool?
    }

    @Test(arguments: [11, 12, 13])
    func swiftAndReferenceAgreeOnRandomCases(seed: Int) throws {
        let cases = try Self.python(["cases", "--count", "1500", "--seed", String(seed)], input: Data())
            .split(separator: 0x0A).map { try JSONDecoder().decode(Case.self, from: Data($0)) }
        #expect(cases.count == 1500)
        var input = Data()
        for c in cases {
            input.append(try JSONEncoder().encode(c))
            input.append(0x0A)
        }
        let answers = try Self.python(["run"], input: input).split(separator: 0x0A)
            .map { try JSONDecoder().decode(Answer.self, from: Data($0)) }
        try #require(answers.count == cases.count)
        var differences = 0
        var splits = 0
        for (c, want) in zip(cases, answers) {
            let syntax: SplitSyntax = c.syntax == "markdown" ? .markdown : .plain
            let got: Answer
            if c.mode == "split" {
                switch LongFieldSplitter.split(c.text, limit: c.limit, syntax: syntax) {
                case .success(let parts): got = Answer(parts: parts); splits += parts.count > 1 ? 1 : 0
                case .failure: got = Answer(error: true)
                }
            } else {
                switch LongFieldSplitter.truncate(c.text, limit: c.limit, syntax: syntax, mentionText: c.mention) {
                case .success(let text): got = Answer(parts: [text])
                case .failure: got = Answer(error: true)
                }
            }
            if got != want {
                differences += 1
                if differences <= 3 { Issue.record("differs on \(c): swift \(got), reference \(want)") }
            }
        }
        #expect(differences == 0)
        // The generator must reach the interesting paths, or agreeing proves little.
        #expect(splits > 500)
    }

    static func python(_ arguments: [String], input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // Write on another thread: the reference answers as it reads, and both pipes are bounded.
        let writer = Thread { stdin.fileHandleForWriting.write(input); try? stdin.fileHandleForWriting.close() }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 \(arguments.joined(separator: " ")) failed")
        return output
    }
}
