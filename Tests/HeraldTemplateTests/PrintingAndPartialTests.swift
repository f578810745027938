import HeraldTemplate
import Testing

@Suite struct ValuePrintingTests {
    @Test func valuesPrintAsTheSpecSays() throws {
        let context: Value = ["i": 42, "neg": -7, "f": 2.5, "tenth": 0.1, "big": 1e21, "t": true, "f0": false, "n": nil,
                              "l": [1, "two", ["x": nil]], "m": ["k": "v\t", "z": [] as Value]]
        #expect(try render("{{i}} {{neg}} {{f}} {{tenth}} {{big}} {{t}} {{f0}} [{{n}}]", context) == "42 -7 2.5 0.1 1e+21 true false []")
        #expect(try render("{{l}} {{m}}", context) == #"[1,"two",{"x":null}] {"k":"v\t","z":[]}"#)
    }
}

@Suite struct PartialTests {
    @Test func partialsComeFromTheResolver() throws {
        #expect(try render("Hi {{> sig}}!", ["name": "Ann"], partials: ["sig": "— {{name}}"]) == "Hi — Ann!")
    }

    @Test func standaloneIndentationAppliesToThePartialsLines() throws {
        let out = try render("list:\n  {{> item}}\nend", ["content": "<\n->"], partials: ["item": "|\n{{{content}}}\n|\n"])
        #expect(out == "list:\n  |\n  <\n->\n  |\nend")
    }

    @Test func recursionIsAllowed() throws {
        let tree: Value = ["name": "root", "kids": [["name": "a", "kids": [["name": "a1", "kids": [] as Value]]], ["name": "b", "kids": [] as Value]]]
        let out = try render("{{> node}}", tree, partials: ["node": "{{name}}({{#kids}}{{> node}}{{/kids}})"])
        #expect(out == "root(a(a1())b())")
    }

    @Test func infiniteRecursionIsAnErrorNotACrash() {
        let found = errors("{{> loop}}", ["x": 1], partials: ["loop": "x{{> loop}}"])
        #expect(found == ["loop.md:1:2: error: partial 'loop' nests deeper than 32 levels (recursive partial?)"])
    }

    @Test func errorsInsideAPartialPointIntoThePartial() {
        #expect(errors("ok {{> p}}", [:], partials: ["p": "line\n  {{oops}}"]) == ["p.md:2:3: error: unknown variable 'oops'"])
    }

    @Test func referencesAreListedAtCompileTime() throws {
        let t = try Template.compile("a {{> one}}\n{{#x}}{{> two}}{{/x}}", origin: blockOrigin)
        #expect(t.partialReferences.map(\.name) == ["one", "two"])
        #expect(t.partialReferences.map(\.line) == [12, 13])
    }
}

/// A template whose only tags are comments or delimiter changes renders differently from its
/// source, so it is not "constant" (callers that send constants as written rely on that).
@Suite struct ConstantTemplateTests {
    @Test func onlyTaglessTextIsConstant() throws {
        #expect(try Template.compile("plain text, no tags", origin: TemplateOrigin(path: "t")).isConstant)
        #expect(try Template.compile("", origin: TemplateOrigin(path: "t")).isConstant)
        for source in ["a{{! c }}b", "a\n{{! c }}\nb", "{{=<% %>=}}x", "x{{=<% %>=}}"] {
            let template = try Template.compile(source, origin: TemplateOrigin(path: "t"))
            #expect(!template.isConstant, "\(source.debugDescription)")
            #expect(try template.render([.map(OrderedMap())]) != source)
        }
        #expect(try Template.compile("a{{! c }}b", origin: TemplateOrigin(path: "t")).render([.map(OrderedMap())]) == "ab")
    }
}
