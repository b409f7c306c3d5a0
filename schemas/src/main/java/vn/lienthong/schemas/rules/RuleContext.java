package vn.lienthong.schemas.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.ValidatorSettings;

/** What a rule needs: the settings, one reading of "now", and where to put errors. */
public final class RuleContext {

    private final ValidatorSettings settings;
    private final Instant now;
    private final List<ValidationError> errors = new ArrayList<>();

    /** A context that reads the settings' clock once, so all rules agree on "now". */
    public RuleContext(ValidatorSettings settings) {
        this.settings = settings;
        this.now = settings.clock().instant();
    }

    /** The settings in force. */
    public ValidatorSettings settings() {
        return settings;
    }

    /** "Now", as read once for this input. */
    public Instant now() {
        return now;
    }

    /** The latest instant not considered future. */
    public Instant latestAllowed() {
        return now.plus(settings.futureTolerance());
    }

    /** The latest date not considered future, in Vietnam's time. */
    public LocalDate latestAllowedDate() {
        return latestAllowed().atZone(settings.zone()).toLocalDate();
    }

    /** Records an error. */
    public void error(ErrorCode code, String pointer, String message) {
        errors.add(ValidationError.of(code, pointer, message));
    }

    /** The errors recorded so far. */
    public List<ValidationError> errors() {
        return List.copyOf(errors);
    }
}
