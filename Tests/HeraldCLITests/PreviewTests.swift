import Foundation
import Testing

/// `herald preview` in a real headless Chromium: the expected text is in the page and the
/// screenshot is not blank. CI installs chromium; elsewhere the test needs it installed.
@Suite struct PreviewTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let required = ProcessInfo.processInfo.environment["CI"] != nil

    /// A 2×2 red PNG.
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMAAAA0nAQMpRj3NAAAAAElFTkSuQmCC") ?? Data()

    static let job = """
    version: 1
    name: preview-test
    recipients:
      ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=PREVIEW-SECRET-0001" }
      dev: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=PREVIEW-SECRET-0002" }
    messages:
      - to: ops
        markdown:
          content: |
            # Release 2.0 发布
            **Bold move** with [a link](https://example.com) and <font color="warning">red alert</font>
            > quoted wisdom
            ping <@zhangsan>
      - to: ops
        text: { content: "plain <script>alert(1)</script> text", mentioned_list: ["@all"] }
      - to: dev
        news:
          articles:
            - { title: "News headline", description: "News body", url: "https://example.com/n", picurl: "https://example.com/p.png" }
      - to: dev
        template_card:
          card_type: text_notice
          source: { desc: "Card source" }
          main_title: { title: "Card title", desc: "Card desc" }
          emphasis_content: { title: "99.9%", desc: "uptime" }
          horizontal_content_list: [ { keyname: "Owner", value: "Ops team" } ]
          jump_list: [ { type: 1, title: "Open dashboard", url: "https://example.com/d" } ]
          card_action: { type: 1, url: "https://example.com" }
      - to: dev
        image: { path: chart.png }
    """

    @Test(.enabled(if: chromium != nil || required, "needs chromium (apt-get install chromium)"))
    func pageShowsTheMessagesInARealBrowser() throws {
        let chromium = try #require(Self.chromium, "chromium is not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-preview-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(Self.job.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        try Self.png.write(to: dir.appendingPathComponent("chart.png"))

        let result = try HeraldProcess.run(["preview", "job.yaml", "-o", "preview.html"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOf: dir.appendingPathComponent("preview.html"), encoding: .utf8)
        #expect(!html.contains("PREVIEW-SECRET"), "links are masked")
        #expect(!html.contains("<script>"), "message text is escaped")
        #expect(!html.contains("src=\"http"), "no external assets")

        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,900"]
        let page = dir.appendingPathComponent("preview.html").absoluteString
        let dom = try run(chromium, flags + ["--dump-dom", page])
        for text in ["Release 2.0 发布", "Bold move", "red alert", "quoted wisdom", "@zhangsan", "@all", "News headline",
                     "Card title", "99.9%", "Open dashboard", "data:image/png;base64,"] {
            #expect(dom.contains(text), "page lacks '\(text)'")
        }
        #expect(dom.contains("<b>Bold move</b>"))
        #expect(dom.contains("class=\"font-warning\""))
        #expect(dom.contains("<blockquote>"))

        let shot = dir.appendingPathComponent("shot.png")
        _ = try run(chromium, flags + ["--screenshot=\(shot.path)", page])
        let colours = try run("/usr/bin/env", ["python3", "-c", Self.countColours, shot.path])
        let distinct = Int(colours.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(distinct > 20, "screenshot looks blank (\(distinct) colours)")
        if let keep = ProcessInfo.processInfo.environment["HERALD_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep))
        }
    }

    /// Tests/Fixtures/preview: a WeCom robot and a DingTalk robot, every DingTalk kind,
    /// mentions through `people:`, and a WeCom markdown over 4096 bytes split into 3 parts.
    static let bothPlatforms = HeraldProcess.repoRoot.appendingPathComponent("Tests/Fixtures/preview")

    static func previewOfBothPlatforms() throws -> (dir: URL, html: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-preview-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("preview.html")
        let result = try HeraldProcess.run(["preview", "job.yaml", "-o", out.path], in: bothPlatforms)
        #expect(result.status == 0, "\(result.stderr)")
        return (dir, try String(contentsOf: out, encoding: .utf8))
    }

    /// The values of `name=` in the page (up to a quote, `&`, `<` or space).
    static func parameterValues(_ name: String, in html: String) -> [Substring] {
        html.components(separatedBy: name + "=").dropFirst().map { $0.prefix { !"\"&< \n".contains($0) } }
    }

    @Test func dingTalkKindsPartsAndMasking() throws {
        let (_, html) = try Self.previewOfBothPlatforms()
        // One section per robot, each saying its platform.
        #expect(html.contains("<section class=\"chat wecom\"><div class=\"platform\">WeCom group robot</div><h2>wecom-ops</h2>"))
        #expect(html.contains("<section class=\"chat dingtalk\"><div class=\"platform\">DingTalk group robot</div><h2>ding-ops</h2>"))
        #expect(html.contains("<div class=\"avatar\">钉</div>"))

        // Secrets: the robot's key, access_token and signing secret never appear; links are masked.
        for secret in ["WECOM-KEY-SECRET", "DINGTALK-TOKEN-SECRET", "SEC-DINGTALK-SIGNING"] {
            #expect(!html.contains(secret), "page shows secret \(secret)")
        }
        let tokens = Self.parameterValues("access_token", in: html), keys = Self.parameterValues("key", in: html)
        #expect(tokens == ["…0001"] && keys == ["…0001"], "unmasked: \(tokens) \(keys)")
        // Self-contained: no resource is loaded from the network.
        #expect(!html.contains("src=\"http") && !html.contains("src='http") && !html.contains("url(http"))

        // DingTalk text: `at` as @-mentions (atUserIds, atMobiles, isAtAll); the text escaped.
        #expect(html.contains("<div class=\"text\">Deploy of train 42 starts in 10 minutes &lt;b&gt;not bold&lt;/b&gt;</div><div class=\"mentions\"><span class=\"mention\">@dt-alice-01</span> <span class=\"mention\">@13900000001</span> <span class=\"mention\">@all</span></div>"))
        // DingTalk markdown: the title line, the markdown subset, the appended @id highlighted,
        // a remote picture as a placeholder naming its host.
        #expect(html.contains("<div class=\"dt-title\" title=\"notification title\">Train 42 deployed</div>"))
        #expect(html.contains("<h3>Train 42 is live</h3><div><b>All checks passed</b> on <a href=\"https://example.com/dash\">the dashboard</a></div>"))
        #expect(html.contains("• gateway: <i>green</i>"))
        #expect(html.contains("<blockquote>rollback window: 30 min</blockquote>"))
        #expect(html.contains("<span class=\"what\">picture: latency chart</span><span class=\"sep\"> · </span><span class=\"host\">img.example.com</span>"))
        #expect(html.contains("<div><span class=\"mention\">@dt-alice-01</span></div>"))
        // link: title, text, a data: picture shown, the message URL as text.
        #expect(html.contains("<div class=\"dt-link-title\">Postmortem: the 3 am page</div>"))
        #expect(html.contains("src=\"data:image/png;base64,iVBORw0KGgo"))
        #expect(html.contains("<div class=\"url\">https://example.com/postmortem/42</div>"))
        // actionCard: btns side by side (btnOrientation "1"), singleTitle as one button.
        #expect(html.contains("<div class=\"dt-title\" title=\"notification title\">Approve the rollout?</div><div class=\"dt-md\"><h4>Rollout of train 42 to the second region</h4>"))
        #expect(html.contains("<div class=\"dt-btns horizontal\"><div class=\"dt-btn\" title=\"https://example.com/approve\">Approve rollout</div><div class=\"dt-btn\" title=\"https://example.com/hold\">Hold rollout</div></div>"))
        #expect(html.contains("<div class=\"dt-btns vertical\"><div class=\"dt-btn\" title=\"https://example.com/report\">Read the full report</div></div>"))
        // feedCard: one row per link, its picture a placeholder.
        for (i, title) in ["Feed: gateway latency halved", "Feed: billing moved to the new queue"].enumerated() {
            #expect(html.contains("title=\"https://example.com/feed/\(i + 1)\"><div class=\"dt-feed-title\">\(title)</div><div class=\"dt-thumb\"><span class=\"pic\" title=\"https://img.example.com/feed-\(i + 1).png\">"))
        }

        // The long WeCom markdown: 3 bubbles, each its own part; the mention on the last only.
        #expect(html.components(separatedBy: "<div class=\"bubble markdown\">").count - 1 == 3)
        for part in 1...3 { #expect(html.contains("<div class=\"meta\">message 1 · part \(part)/3 · markdown</div>")) }
        #expect(html.contains("<div>(2/3)</div>"))
        #expect(html.components(separatedBy: "<span class=\"mention\">@zhangsan</span>").count - 1 == 1)
        #expect(html.contains("<span class=\"mention\">@zhangsan</span></div><div>(3/3)</div>"))
        // Whole messages have no part in their meta line.
        #expect(html.contains("<div class=\"meta\">message 7 · feedCard</div>"))
    }

    @Test(.enabled(if: chromium != nil || required, "needs chromium (apt-get install chromium)"))
    func dingTalkPageInARealBrowser() throws {
        let chromium = try #require(Self.chromium, "chromium is not installed")
        let (dir, _) = try Self.previewOfBothPlatforms()
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,1000"]
        let page = dir.appendingPathComponent("preview.html").absoluteString
        let dom = try run(chromium, flags + ["--dump-dom", page])
        for text in ["DingTalk group robot", "WeCom group robot", "Train 42 deployed", "Approve rollout", "Read the full report",
                     "Feed: billing moved to the new queue", "part 2/3", "@dt-alice-01"] {
            #expect(dom.contains(text), "page lacks '\(text)'")
        }
        let shot = dir.appendingPathComponent("shot.png")
        _ = try run(chromium, flags + ["--screenshot=\(shot.path)", page])
        let colours = try run("/usr/bin/env", ["python3", "-c", Self.countColours, shot.path])
        let distinct = Int(colours.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(distinct > 20, "screenshot looks blank (\(distinct) colours)")
        if let keep = ProcessInfo.processInfo.environment["HERALD_SCREENSHOT_DINGTALK"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep))
        }
    }

    /// Counts distinct pixel colours of an RGB(A) PNG with the standard library only.
    static let countColours = """
    import sys, zlib, struct
    d = open(sys.argv[1], 'rb').read()
    pos, idat, w, h, ct = 8, b'', 0, 0, 2
    while pos < len(d):
        n, t = struct.unpack('>I4s', d[pos:pos+8]); body = d[pos+8:pos+8+n]; pos += 12 + n
        if t == b'IHDR': w, h, _, ct = struct.unpack('>IIBB', body[:10])
        elif t == b'IDAT': idat += body
    bpp = 4 if ct == 6 else 3
    raw = zlib.decompress(idat); stride = w * bpp; prev = bytearray(stride); seen = set(); i = 0
    for y in range(h):
        f = raw[i]; line = bytearray(raw[i+1:i+1+stride]); i += 1 + stride
        for x in range(stride):
            a = line[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p-a), abs(p-b), abs(p-c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 4 == 0:
            for x in range(0, stride, bpp * 4): seen.add(bytes(line[x:x+3]))
        prev = line
    print(len(seen))
    """

    private func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
