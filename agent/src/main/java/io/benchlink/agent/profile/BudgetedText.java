package io.benchlink.agent.profile;

/**
 * A line as seen by user regexes, with a budget of character reads: a pattern with catastrophic backtracking
 * ({@code (a+)+$} on a long line) would otherwise hold the device's reader thread for minutes. When the budget is
 * spent, the next read throws {@link BudgetExceededException} and the line is skipped. Used by one thread.
 */
final class BudgetedText implements CharSequence {
    private final String text;
    private final long[] remaining;

    /** Thrown when matching one line has read more characters than its budget allows. */
    static final class BudgetExceededException extends IllegalStateException {
        BudgetExceededException() {
            super("regex matching exceeded its step budget on this line (catastrophic backtracking?)");
        }
    }

    BudgetedText(String text, long budget) {
        this(text, new long[] {budget});
    }

    private BudgetedText(String text, long[] remaining) {
        this.text = text;
        this.remaining = remaining;
    }

    @Override
    public char charAt(int index) {
        if (--remaining[0] < 0) {
            throw new BudgetExceededException();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BudgetedText(text.substring(start, end), remaining);
    }

    @Override
    public String toString() {
        return text;
    }
}
