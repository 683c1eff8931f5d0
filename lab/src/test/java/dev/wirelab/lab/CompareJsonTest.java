package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompareJsonTest {

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(CompareJson.quote("a\"b\\c\nd\te\u0001f\u2028g é"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028g é\"");
    }

    @Test
    void writesNestedObjectsAndArraysWithCommas() {
        String json = new CompareJson().beginObject()
                .field("name", "x")
                .field("count", 3)
                .field("ratio", 0.5)
                .field("none", Double.NaN)
                .name("list").beginArray().string("a").number(1).beginObject().endObject().endArray()
                .name("empty").beginArray().endArray()
                .endObject().toString();

        assertThat(json.replaceAll("\\s+", "")).isEqualTo(
                "{\"name\":\"x\",\"count\":3,\"ratio\":0.5,\"none\":null,\"list\":[\"a\",1,{}],\"empty\":[]}");
    }

    @Test
    void roundsNumbersToSixSignificantDigitsWithoutLosingMagnitude() {
        assertThat(new CompareJson().number(100000.0).toString()).isEqualTo("100000");
        assertThat(new CompareJson().number(1.23456789).toString()).isEqualTo("1.23457");
        assertThat(new CompareJson().number(0.00012).toString()).isEqualTo("0.00012");
    }
}
