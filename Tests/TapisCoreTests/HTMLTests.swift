import TapisCore
import Testing

/// Markup escapes what is interpolated into it, and only that.
@Suite struct HTMLTests {
    @Test func textIsEscapedMarkupIsNot() {
        let name = #"<script>alert("x")</script> & 'y'"#
        let cell: HTML = "<td title=\"\(name)\">\(name)</td>"
        #expect(cell.markup == "<td title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</td>")
        let row: HTML = "<tr>\(cell)\([cell, cell])\(3)</tr>"
        #expect(row.markup == "<tr>" + String(repeating: cell.markup, count: 3) + "3</tr>")
        let missing: String? = nil
        #expect(("<p>\(missing)</p>" as HTML).markup == "<p></p>")
    }
}
