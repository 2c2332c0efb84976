package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The analysis templates an application's release steps refer to by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Analysis(
    @JsonPropertyDescription("Named checks, referred to by analysis steps and by blueGreen.prePromotionAnalysis.")
    @Size(max = 20)
    List<AnalysisTemplate> templates) {}
