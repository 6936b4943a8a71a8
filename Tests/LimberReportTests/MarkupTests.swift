import Testing

@testable import LimberReport

@Suite struct MarkupTests {
    @Test func textAndAttributesAreEscaped() {
        var markup = Markup()
        markup.element("p", ["title": "a \"quoted\" <b> & 'single'"], text: "x < y & z > 0 \"ok\"")
        #expect(markup.result == "<p title=\"a &quot;quoted&quot; &lt;b&gt; &amp; &#39;single&#39;\">x &lt; y &amp; z &gt; 0 \"ok\"</p>")
    }

    @Test func elementsNestAndTheResultClosesWhatIsOpen() {
        var markup = Markup()
        markup.open("section")
        markup.wrap("ul") { list in
            list.element("li", text: "one")
            list.open("li")  // left open inside the wrap: closed by it
            list.text("two")
        }
        markup.element("rect", ["width": "3"])
        #expect(markup.depth == 1)
        #expect(markup.result == "<section><ul><li>one</li><li>two</li></ul><rect width=\"3\"/></section>")
        markup.close()
        markup.close()  // nothing open: no stray tag
        #expect(markup.depth == 0 && markup.result.hasSuffix("</section>"))
    }

    @Test func numbers() {
        #expect(Number.svg(12) == "12")
        #expect(Number.svg(12.46) == "12.5")
        #expect(Number.svg(-0.04) == "0")
        #expect(Number.svg(-3.2) == "-3.2")
        #expect(Number.svg(.nan) == "0")
        #expect(Number.whole(312.5) == "313")
        #expect(Number.clock(125) == "2:05" && Number.clock(45) == "0:45")
    }

    @Test func axisTicksAreRoundAndCoverTheMaximum() {
        #expect(ChartFrame.ticks(upTo: 85) == [0, 50, 100])
        #expect(ChartFrame.ticks(upTo: 10) == [0, 5, 10])
        #expect(ChartFrame.ticks(upTo: 7) == [0, 2, 4, 6, 8])
        #expect(ChartFrame.ticks(upTo: 0) == [0, 1])
    }

    @Test func theFrameMapsValuesIntoThePlot() {
        let frame = ChartFrame(height: 200, top: 30, bottom: 28, slots: 4, yMax: 20)
        #expect(frame.y(0) == 172 && frame.y(20) == 30 && frame.y(10) == 101)
        #expect(frame.y(40) == 30)  // clamped to the top
        #expect(frame.x(0) == 54 + frame.slotWidth / 2 && frame.slotWidth == (680 - 64) / 4)
    }

    @Test func legendEntriesWrapAtTheRightEdge() {
        let frame = ChartFrame(width: 340, height: 200, slots: 1, yMax: 1)
        let places = frame.legendPlaces(["taken", "natural", "snoozed", "skipped", "missed"])
        #expect(places.first?.x == 54 && places.first?.y == 12)
        #expect(Set(places.map(\.y)).count == 2)
        #expect(places.allSatisfy { $0.x < 340 - 10 })
    }

    @Test func labelsThatWouldRunOffTheChartAreLeftOut() {
        let frame = ChartFrame(width: 340, height: 100, slots: 26, yMax: 1)
        var svg = Markup()
        frame.xLabels(&svg, [(x: frame.x(0), text: "4 Jun"), (x: frame.x(25), text: "26 Nov")])
        #expect(svg.result.contains(">4 Jun<") && !svg.result.contains("26 Nov"))
    }
}
