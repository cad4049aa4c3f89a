package io.fleetline.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CSV cells of the daily report: quoting per RFC 4180 and formulas made inert. */
class ReportCsvTest {

  @ParameterizedTest
  @ValueSource(strings = {"=1+2", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"})
  void textStartingAFormulaGetsALeadingApostrophe(String value) {
    assertThat(ReportCsv.text(value)).isEqualTo("'" + value);
  }

  @Test
  void formulaCharactersInsideTheTextAreLeftAlone() {
    assertThat(ReportCsv.text("Van = 1")).isEqualTo("Van = 1");
    assertThat(ReportCsv.text("")).isEmpty();
    assertThat(ReportCsv.text(null)).isNull();
  }

  @Test
  void cellsWithCommasQuotesOrLineBreaksAreQuotedWithTheirQuotesDoubled() {
    assertThat(ReportCsv.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(ReportCsv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(ReportCsv.cell("one\ntwo")).isEqualTo("\"one\ntwo\"");
    assertThat(ReportCsv.cell("one\rtwo")).isEqualTo("\"one\rtwo\"");
    assertThat(ReportCsv.cell("plain")).isEqualTo("plain");
    assertThat(ReportCsv.cell(null)).isEmpty();
  }

  @Test
  void numbersAreWrittenInPlainDecimalsAndNonNumbersLeftEmpty() {
    assertThat(ReportCsv.number(12_345_678_901.5)).isEqualTo("12345678901.5");
    assertThat(ReportCsv.number(7000.0)).isEqualTo("7000");
    assertThat(ReportCsv.number(0.0)).isEqualTo("0");
    assertThat(ReportCsv.number(-0.1275)).isEqualTo("-0.1275");
    assertThat(ReportCsv.number(Double.NaN)).isEmpty();
    assertThat(ReportCsv.number(Float.valueOf(92.5f))).isEqualTo("92.5");
    assertThat(ReportCsv.number(Float.valueOf(Float.POSITIVE_INFINITY))).isEmpty();
  }
}
