@testable import HeraldCore
import Testing

@Suite struct ScalarResolutionTests {
    /// YAML 1.2 core schema: only true/false are booleans, dates stay strings.
    @Test func leavesPassThroughAsWritten() throws {
        let result = try prepare("""
        version: 1
        recipients:
          a: { link: "https://h/a" }
        messages:
          - to: a
            template_card:
              card_type: text_notice
              main_title: { title: t }
              card_action: { type: 1, url: "https://u" }
              n: [1, -2, 2.5, 0.1, 1e3, true, false, null, ~, yes, on, 2026-11-25, "3", 0x1F, 1_000]
        """)
        let body = bodies(result).first ?? ""
        #expect(body.contains(#""n":[1,-2,2.5,0.1,1000.0,true,false,null,null,"yes","on","2026-11-25","3",31,"1_000"]"#), "\(body)")
    }

    @Test func infinityIsRefused() throws {
        let result = try prepare("""
        version: 1
        recipients: { a: { link: "https://h/a" } }
        vars: { x: .inf }
        messages: [ { to: a, text: { content: hi } } ]
        """)
        #expect(firstError(result)?.contains("not a finite number") == true)
    }
}
