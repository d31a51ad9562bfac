package io.promsuite.pushgateway.cli;

/** A position in one line of exposition text, with the line number for error messages. */
final class Cursor {

  final String text;
  final int line;
  int pos;

  Cursor(String text, int line) {
    this.text = text;
    this.line = line;
  }

  boolean atEnd() {
    return pos >= text.length();
  }

  char peek() {
    return text.charAt(pos);
  }

  char next() {
    return text.charAt(pos++);
  }

  boolean isBlank() {
    return !atEnd() && (peek() == ' ' || peek() == '\t');
  }

  void skipBlanks() {
    while (isBlank()) {
      pos++;
    }
  }

  /** Characters up to the next blank or the end of the line. */
  String token() {
    int start = pos;
    while (!atEnd() && !isBlank()) {
      pos++;
    }
    return text.substring(start, pos);
  }

  /** Characters up to a blank, '{' or the end: a metric name or what stands in its place. */
  String nameToken() {
    int start = pos;
    while (!atEnd() && !isBlank() && peek() != '{') {
      pos++;
    }
    return text.substring(start, pos);
  }

  String rest() {
    String r = text.substring(Math.min(pos, text.length()));
    pos = text.length();
    return r;
  }

  ExpositionTextException error(String problem) {
    return new ExpositionTextException(line, problem);
  }
}
