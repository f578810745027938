import HeraldTemplate
import Testing

@Suite struct FilterTests {
    @Test func upperLowerUseFullUnicodeCaseMapping() throws {
        #expect(try render("{{s | upper}}", ["s": "straße"]) == "STRASSE")
        #expect(try render("{{s | lower}}", ["s": "ÀÉÎ İ"]) == "àéî i̇")
        #expect(try render("{{n | upper}}", ["n": 12]) == "12")
    }

    @Test func trimBothEnds() throws {
        #expect(try render("[{{s | trim}}]", ["s": " \n\t hi there \r\n"]) == "[hi there]")
    }

    @Test func defaultOnUnknownNullAndEmpty() throws {
        #expect(try render(#"{{missing | default: "n/a"}}"#) == "n/a")
        #expect(try render(#"{{a.b.c | default: "deep"}}"#, ["a": [:] as Value]) == "deep")
        #expect(try render(#"{{n | default: "none"}}"#, ["n": nil]) == "none")
        #expect(try render(#"{{s | default: "empty"}}"#, ["s": ""]) == "empty")
        #expect(try render(#"{{s | default: "x"}}"#, ["s": "set"]) == "set")
        #expect(try render(#"{{z | default: 0}}"#, ["z": false]) == "false")
        #expect(try render(#"{{missing | default: 0}}"#) == "0")
        // Filters before the default see null.
        #expect(try render(#"{{missing | upper | default: "none"}}"#) == "none")
    }

    @Test func singleQuotedArgumentsAreStringsToo() throws {
        #expect(try render("{{team | default: 'ops'}}") == "ops")
        #expect(try render("{{team | default: 'ops'}}", ["team": "db"]) == "db")
        #expect(try render("{{l | join: ' | '}}", ["l": ["a", "b"]]) == "a | b")
        #expect(try render(#"{{s | default: 'it\'s "quoted"'}}"#) == #"it's "quoted""#)
        #expect(try render(#"{{s | default: "it's"}}"#) == "it's")
        #expect(try render("{{l | join: '\\n'}}", ["l": ["a", "b"]]) == "a\nb")
        // An apostrophe that does not start an argument is not a quote: the `|` after it still splits.
        #expect(try render("{{o'neil | upper}}", ["o'neil": "x"]) == "X")
        #expect(errors("{{s | default: 'open}}").first?.contains("neither a \"quoted string\" nor a whole number") == true)
        #expect(errors("{{s | default: 'a' b}}").first?.contains("neither a \"quoted string\" nor a whole number") == true)
    }

    @Test func joinNeedsAList() throws {
        #expect(try render(#"{{l | join: ", "}}"#, ["l": ["a", 1, 2.5, true]]) == "a, 1, 2.5, true")
        #expect(errors(#"x {{s | join: ", "}}"#, ["s": "abc"]) == ["t.md:1:3: error: filter 'join' needs a list, but 's' is a string"])
    }

    @Test func countListsMapsAndCharacters() throws {
        #expect(try render("{{l | count}} {{m | count}} {{s | count}}", ["l": [1, 2, 3], "m": ["a": 1], "s": "家族👨‍👩‍👧"]) == "3 1 3")
        #expect(errors("{{n | count}}", ["n": 5]).first?.contains("filter 'count' needs a list, a map or a string") == true)
    }

    @Test func truncateCountsCharactersNotBytes() throws {
        #expect(try render("{{s | truncate: 3}}", ["s": "中文字符串"]) == "中文字…")
        #expect(try render("{{s | truncate: 2}}", ["s": "👨‍👩‍👧😀🎉"]) == "👨‍👩‍👧😀…")
        #expect(try render("{{s | truncate: 5}}", ["s": "short"]) == "short")
        #expect(try render("{{s | truncate: 0}}", ["s": "x"]) == "…")
    }

    @Test func dateUsesTheCallersTimeZone() throws {
        let now: Value = ["now": "2026-11-25T01:30:00Z"]
        #expect(try render(#"{{now | date: "yyyy-MM-dd HH:mm"}}"#, now, zone: "Asia/Shanghai") == "2026-11-25 09:30")
        #expect(try render(#"{{now | date: "yyyy-MM-dd HH:mm zzz"}}"#, now, zone: "America/New_York") == "2026-11-24 20:30 EST")
        #expect(try render(#"{{d | date: "EEE d MMM"}}"#, ["d": "2026-11-25T09:30:00.250+08:00"], zone: "UTC") == "Wed 25 Nov")
        #expect(try render(#"{{d | date: "yyyy/MM/dd HH:mm"}}"#, ["d": "2026-11-25"], zone: "Asia/Tokyo") == "2026/11/25 00:00")
        #expect(errors(#"{{d | date: "yyyy"}}"#, ["d": "next tuesday"])
                == ["t.md:1:1: error: filter 'date' needs an ISO 8601 date like 2026-11-25T09:30:00+08:00, but 'd' is 'next tuesday'"])
    }

    @Test func numberRoundsHalfAwayFromZeroOnTheDecimalValue() throws {
        let cases: [(Value, Int, String)] = [
            (2.675, 2, "2.68"), (2.5, 0, "3"), (-2.5, 0, "-3"), (1.005, 2, "1.01"), (0.125, 2, "0.13"),
            (3, 2, "3.00"), (999.995, 2, "1000.00"), (-0.001, 2, "0.00"), (0.1, 3, "0.100"), (1e-7, 8, "0.00000010"),
            ("12.345", 1, "12.3"), ("-7", 1, "-7.0"), (1234567.891, 1, "1234567.9"),
        ]
        for (value, places, expected) in cases {
            #expect(try render("{{v | number: \(places)}}", ["v": value]) == expected, "\(value) number: \(places)")
        }
        #expect(errors("{{v | number: 2}}", ["v": "abc"]) == ["t.md:1:1: error: filter 'number' needs a number, but 'v' is 'abc'"])
    }

    @Test func jsonIsCompactWithSpecEscapes() throws {
        #expect(try render("{{v | json}}", ["v": ["a": "x\"/\n", "n": [1, 2.5, nil, true]]]) == #"{"a":"x\"/\n","n":[1,2.5,null,true]}"#)
        #expect(try render("{{s | json}}", ["s": "中"]) == "\"中\"")
    }

    @Test func firstAndSkipInValueTags() throws {
        let c: Value = ["rows": [["name": "a"], ["name": "b"], ["name": "c"]], "tags": ["x", "y", "z"], "n": nil]
        #expect(try render("{{rows | first: 2 | json}}", c) == #"[{"name":"a"},{"name":"b"}]"#)
        #expect(try render("{{rows | skip: 1 | count}}", c) == "2")
        #expect(try render("{{tags | first: 2}}", c) == #"["x","y"]"#)
        #expect(try render(#"{{tags | skip: 1 | join: ", "}}"#, c) == "y, z")
        #expect(try render("{{tags | first: 0 | json}} {{tags | skip: 0 | count}} {{tags | first: 9 | count}} {{tags | skip: 9 | json}}", c) == "[] 3 3 []")
        #expect(try render("{{rows | first: 2 | count}} of {{rows | count}}", c) == "2 of 3")
        #expect(try render("[{{n | first: 1}}][{{n | skip: 1 | json}}]", c) == "[][null]")
        #expect(try render(#"{{missing | first: 1 | default: "none"}}"#, c) == "none")
    }

    @Test func firstAndSkipNeedAList() {
        let c: Value = ["title": "T", "n": 3, "ok": false, "m": ["k": 1]]
        #expect(errors("x {{title | first: 1}}", c) == ["t.md:1:3: error: filter 'first' needs a list, but 'title' is a string"])
        #expect(errors("{{n | skip: 1}}", c) == ["t.md:1:1: error: filter 'skip' needs a list, but 'n' is an integer"])
        #expect(errors("{{ok | first: 1}}", c) == ["t.md:1:1: error: filter 'first' needs a list, but 'ok' is a boolean"])
        #expect(errors("{{m | skip: 0}}", c) == ["t.md:1:1: error: filter 'skip' needs a list, but 'm' is a map"])
        #expect(errors("{{rwos | first: 1}}", ["rows": [1]]) == ["t.md:1:1: error: unknown variable 'rwos' — did you mean 'rows'?"])
    }

    @Test func chainsApplyLeftToRight() throws {
        #expect(try render("{{s | trim | upper | truncate: 4}}", ["s": "  hello world "]) == "HELL…")
    }
}
