package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import vn.lienthong.schemas.ids.VietnameseText;
import vn.lienthong.schemas.SchemaCatalog;

/**
 * Recognizes state-secret levels (Mật, Tối mật, Tuyệt mật; Law 29/2018) in the spellings the
 * envelope schema documents, ignoring case, diacritics, spaces, hyphens and underscores.
 */
public final class ClassificationRule {

    private static final Set<String> FOLDED_LEVELS = foldedLevels();

    private ClassificationRule() {
    }

    /** Whether a classification value names a state-secret level. */
    public static boolean isStateSecret(String classification) {
        return classification != null && FOLDED_LEVELS.contains(fold(classification));
    }

    private static String fold(String s) {
        return VietnameseText.fold(s.replace('_', ' ')).replace(" ", "");
    }

    private static Set<String> foldedLevels() {
        JsonNode levels = SchemaCatalog.get().document("envelope.schema.json").at("/$defs/stateSecretLevel/enum");
        Set<String> folded = new HashSet<>();
        levels.forEach(level -> folded.add(fold(level.asText())));
        if (folded.isEmpty()) {
            throw new IllegalStateException("the envelope schema documents no state-secret levels");
        }
        return Set.copyOf(folded);
    }
}
