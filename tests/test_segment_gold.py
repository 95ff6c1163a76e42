"""Gold segmentations: exact ids, parents and offsets, written out and checked by hand.

Three kinds of cases: short texts that each exercise one shape, the four example trials, and records read in
place from the shared corpus by NCT id. Rows are (id, parent, start, end, first 40 characters of the text);
HEADING_RUNS gives, for each case, the heading every run of criteria sits under (none unless listed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translator.domain import Criterion, Section
from translator.evaluation.corpus import Corpus
from translator.segment import segment

Row = tuple[str, str | None, int, int, str]

SYNTHETIC: dict[str, tuple[str, Section, list[Row]]] = {
    "heading_with_text_on_its_line": (
        "Inclusion Criteria: Age 18 or older\nExclusion criteria - pregnancy or breastfeeding\n",
        "inclusion",
        [("I1", None, 20, 35, "Age 18 or older"), ("E1", None, 57, 83, "pregnancy or breastfeeding")],
    ),
    "no_heading_one_line_each": (
        "Age 18 to 75 years\nECOG 0-1\nSigned informed consent",
        "inclusion",
        [
            ("I1", None, 0, 18, "Age 18 to 75 years"),
            ("I2", None, 19, 27, "ECOG 0-1"),
            ("I3", None, 28, 51, "Signed informed consent"),
        ],
    ),
    "no_heading_exclusion_file": (
        "Pregnancy\nActive hepatitis B",
        "exclusion",
        [("E1", None, 0, 9, "Pregnancy"), ("E2", None, 10, 28, "Active hepatitis B")],
    ),
    "no_exclusion_heading": (
        "Inclusion Criteria:\n\n* Adults aged 18 or older\n* Type 2 diabetes for at least 1 year\n",
        "inclusion",
        [
            ("I1", None, 23, 46, "Adults aged 18 or older"),
            ("I2", None, 49, 84, "Type 2 diabetes for at least 1 year"),
        ],
    ),
    "key_and_upper_case_headings": (
        "KEY INCLUSION CRITERIA\n\n* HbA1c 7.0% to 10.5%\n\nKey Exclusion Criteria:\n\n* Type 1 diabetes\n",
        "inclusion",
        [("I1", None, 26, 45, "HbA1c 7.0% to 10.5%"), ("E1", None, 74, 89, "Type 1 diabetes")],
    ),
    "escaped_and_symbol_bullets": (
        "Inclusion Criteria:\n\n\\- Age ≥ 18 years\n• ECOG ≤ 2\n-Measurable disease\n\n"
        "Exclusion Criteria:\n\n\\* Prior CAR-T therapy\n",
        "inclusion",
        [
            ("I1", None, 24, 38, "Age ≥ 18 years"),
            ("I2", None, 41, 49, "ECOG ≤ 2"),
            ("I3", None, 51, 69, "Measurable disease"),
            ("E1", None, 95, 114, "Prior CAR-T therapy"),
        ],
    ),
    "nested_by_indentation": (
        "Inclusion Criteria:\n\n1) Adequate organ function:\n   a. ANC ≥ 1.5 × 10^9/L\n"
        "   b. Platelets ≥ 100 × 10^9/L\n      i. without transfusion\n2) Life expectancy ≥ 12 weeks\n"
        "(3) No prior therapy\n",
        "inclusion",
        [
            ("I1", None, 24, 48, "Adequate organ function:"),
            ("I1.a", "I1", 55, 73, "ANC ≥ 1.5 × 10^9/L"),
            ("I1.b", "I1", 80, 104, "Platelets ≥ 100 × 10^9/L"),
            ("I1.b.i", "I1.b", 114, 133, "without transfusion"),
            ("I2", None, 137, 163, "Life expectancy ≥ 12 weeks"),
            ("I3", None, 168, 184, "No prior therapy"),
        ],
    ),
    "legacy_wrapped_bullets": (
        "        Inclusion Criteria:\n\n          -  Histologically confirmed adenocarcinoma of the\n"
        "             pancreas\n\n          -  Age >= 18 years\n\n        Exclusion Criteria:\n\n"
        "          -  Prior chemotherapy for metastatic disease within\n             6 months\n",
        "inclusion",
        [
            ("I1", None, 42, 110, "Histologically confirmed adenocarcinoma "),
            ("I2", None, 125, 140, "Age >= 18 years"),
            ("E1", None, 184, 254, "Prior chemotherapy for metastatic diseas"),
        ],
    ),
    "hard_wrapped_paragraph": (
        "Patients must have histologically confirmed carcinoma of the\nlung and measurable disease. Patients "
        "must not have had any\nchemotherapy within 4 weeks.\n\nNo prior radiotherapy to the chest.\n",
        "inclusion",
        [
            ("I1", None, 0, 149, "Patients must have histologically confir"),
            ("I2", None, 151, 186, "No prior radiotherapy to the chest."),
        ],
    ),
    "one_criterion_per_line_capitalised": (
        "Impact on overall severe (grade 3 or 4 of the WHO scale) not attributable to the LAL\n"
        "Pregnant or breastfeeding\nAny other variety of LAL\n",
        "exclusion",
        [
            ("E1", None, 0, 84, "Impact on overall severe (grade 3 or 4 o"),
            ("E2", None, 85, 110, "Pregnant or breastfeeding"),
            ("E3", None, 111, 135, "Any other variety of LAL"),
        ],
    ),
    "hard_wrapped_capitalised_word": (
        "Patients must have histologically confirmed carcinoma of the lung and\n"
        "Measurable Disease per RECIST 1.1 and no chemotherapy within 4 weeks, no\n"
        "Radiotherapy to the chest within 6 months and no surgery within 4 weeks\n"
        "of the first dose.\n",
        "inclusion",
        [("I1", None, 0, 233, "Patients must have histologically confir")],
    ),
    "crlf_offsets_count_the_cr": (
        "Inclusion Criteria:\r\n\r\n* Age >= 18 years\r\n* BMI < 35 kg/m2\r\n\r\nExclusion Criteria:\r\n\r\n"
        "* Pregnancy\r\n",
        "inclusion",
        [
            ("I1", None, 25, 40, "Age >= 18 years"),
            ("I2", None, 44, 58, "BMI < 35 kg/m2"),
            ("E1", None, 87, 96, "Pregnancy"),
        ],
    ),
    "numbering_restarts_under_a_colon": (
        "Inclusion Criteria:\n1. Age ≥ 18 years\n2. Meets one of the following:\n1. ANA ≥ 1:80\n"
        "2. Anti-dsDNA above normal\n3. LVEF ≥ 50%\nExclusion Criteria:\n1. Active infection\n",
        "inclusion",
        [
            ("I1", None, 23, 37, "Age ≥ 18 years"),
            ("I2", None, 41, 68, "Meets one of the following:"),
            ("I2.a", "I2", 72, 82, "ANA ≥ 1:80"),
            ("I2.b", "I2", 86, 109, "Anti-dsDNA above normal"),
            ("I2.c", "I2", 113, 123, "LVEF ≥ 50%"),
            ("E1", None, 147, 163, "Active infection"),
        ],
    ),
    "inline_lettered_list": (
        "* Bone marrow function meets the following: a. WBC ≥3×109/L; b. Neutrophils ≥1×109/L; c. Hemoglobin ≥60g/L;\n",
        "inclusion",
        [
            ("I1", None, 2, 43, "Bone marrow function meets the following"),
            ("I1.a", "I1", 47, 60, "WBC ≥3×109/L;"),
            ("I1.b", "I1", 64, 85, "Neutrophils ≥1×109/L;"),
            ("I1.c", "I1", 89, 107, "Hemoglobin ≥60g/L;"),
        ],
    ),
    "disease_specific_subsections": (
        "Inclusion Criteria:\n\n* Age 18-65 years\n* Specific inclusion criteria:\n* Systemic lupus erythematosus\n"
        "* meets the 2019 EULAR/ACR criteria;\n* SLEDAI-2K ≥ 8;\n* Systemic sclerosis\n"
        "* meets the 2013 ACR criteria;\n\nExclusion Criteria:\n\n* Pregnancy\n",
        "inclusion",
        [
            ("I1", None, 23, 38, "Age 18-65 years"),
            ("I2", None, 72, 100, "Systemic lupus erythematosus"),
            ("I2.a", "I2", 103, 137, "meets the 2019 EULAR/ACR criteria;"),
            ("I2.b", "I2", 140, 154, "SLEDAI-2K ≥ 8;"),
            ("I3", None, 157, 175, "Systemic sclerosis"),
            ("I3.a", "I3", 178, 206, "meets the 2013 ACR criteria;"),
            ("E1", None, 231, 240, "Pregnancy"),
        ],
    ),
    "bullets_lost_criteria_run_together": (
        "Inclusion Criteria:\n\n\\- Aged between 18 and 65 years Clinical diagnosis of lupus according to the "
        "classification criteria (Smith et al., 2019) Positive antinuclear antibody at screening Active disease "
        "with at least one organ involved despite standard treatment for at least 3 months.\n",
        "inclusion",
        [
            ("I1", None, 24, 52, "Aged between 18 and 65 years"),
            ("I2", None, 53, 142, "Clinical diagnosis of lupus according to"),
            ("I3", None, 143, 185, "Positive antinuclear antibody at screeni"),
            ("I4", None, 186, 283, "Active disease with at least one organ i"),
        ],
    ),
    "markdown_bold_headings": (
        "**Inclusion Criteria:**\n\n* Age ≥ 18\n\n**Exclusion Criteria:**\n\n* HIV infection\n",
        "inclusion",
        [("I1", None, 27, 35, "Age ≥ 18"), ("E1", None, 64, 77, "HIV infection")],
    ),
    "bullets_lost_inside_one_item": (
        "Exclusion Criteria:\n\n* Any of the following diseases o Hypothyroidism o Benign prostate hyperplasia "
        "o Recent stroke\n",
        "inclusion",
        [
            ("E1", None, 23, 52, "Any of the following diseases"),
            ("E1.a", "E1", 55, 69, "Hypothyroidism"),
            ("E1.b", "E1", 72, 99, "Benign prostate hyperplasia"),
            ("E1.c", "E1", 102, 115, "Recent stroke"),
        ],
    ),
    "heading_at_the_end_of_a_line": (
        "Inclusion Criteria: - Age 18 or older - Signed consent - BMI < 35 Exclusion Criteria: - Pregnancy\n",
        "inclusion",
        [
            ("I1", None, 22, 37, "Age 18 or older"),
            ("I2", None, 40, 54, "Signed consent"),
            ("I3", None, 57, 65, "BMI < 35"),
            ("E1", None, 88, 97, "Pregnancy"),
        ],
    ),
    "exclusion_criteria_in_a_sentence_is_no_heading": (
        "Inclusion Criteria:\n* Meets none of the exclusion criteria\n* Age as defined in the Exclusion Criteria\n",
        "inclusion",
        [
            ("I1", None, 22, 58, "Meets none of the exclusion criteria"),
            ("I2", None, 61, 101, "Age as defined in the Exclusion Criteria"),
        ],
    ),
    "lone_dash_and_html_comment_are_blank": (
        "Inclusion Criteria:\n\n-\n\n1. Age ≥ 18\n\n   1. ANC ≥ 1.5\n\n   <!-- -->\n\n   1. Platelets ≥ 100\n",
        "inclusion",
        [
            ("I1", None, 27, 35, "Age ≥ 18"),
            ("I1.a", "I1", 43, 52, "ANC ≥ 1.5"),
            ("I1.b", "I1", 73, 88, "Platelets ≥ 100"),
        ],
    ),
    "section_lead_ins_are_headings": (
        "Inclusion Criteria:\n\nParticipants are eligible to be included in the study only if all of the following "
        "criteria apply:\n\n1. Age ≥ 18\n2. ECOG 0-1\n\nExclusion Criteria:\n\nParticipants are excluded from the "
        "study if any of the following criteria apply:\n\n1. Pregnancy\n",
        "inclusion",
        [
            ("I1", None, 124, 132, "Age ≥ 18"),
            ("I2", None, 136, 144, "ECOG 0-1"),
            ("E1", None, 252, 261, "Pregnancy"),
        ],
    ),
    "a_lead_in_that_chooses_is_a_parent": (
        "Inclusion Criteria:\n\nParticipants must meet one of the following criteria to be included:\n\n"
        "1. Type 1 diabetes\n2. Type 2 diabetes\n",
        "inclusion",
        [
            ("I1", None, 21, 89, "Participants must meet one of the follow"),
            ("I1.a", "I1", 94, 109, "Type 1 diabetes"),
            ("I1.b", "I1", 113, 128, "Type 2 diabetes"),
        ],
    ),
    "repeated_sub_headings_head_their_items": (
        "Exclusion Criteria:\n\nMedical Conditions\n\n1. Active hepatitis B\n2. HIV infection\n\n"
        "Prior Therapy\n\n1. Prior CAR-T therapy\n",
        "inclusion",
        [
            ("E1", None, 44, 62, "Active hepatitis B"),
            ("E2", None, 66, 79, "HIV infection"),
            ("E3", None, 99, 118, "Prior CAR-T therapy"),
        ],
    ),
    "sub_headings_with_a_colon": (
        "Inclusion Criteria:\n\nScreening Phase:\n\n1. Age 14 to 65 years\n\nStudy Phase:\n\n"
        "Individuals who meet the following criteria are eligible for the study phase:\n\n1. BMI < 17 kg/m2\n",
        "inclusion",
        [("I1", None, 42, 60, "Age 14 to 65 years"), ("I2", None, 158, 172, "BMI < 17 kg/m2")],
    ),
    "a_lone_title_line_stays_a_criterion": (
        "Exclusion Criteria:\n\nOther types of diabetes\n\n* Pregnancy\n",
        "inclusion",
        [("E1", None, 21, 44, "Other types of diabetes"), ("E2", None, 48, 57, "Pregnancy")],
    ),
    "inline_list_after_a_full_stop": (
        "1. Active disease confirmed by the following signs. a. Active arthritis. b. CRP > 30 mg/L.\n",
        "inclusion",
        [
            ("I1", None, 3, 51, "Active disease confirmed by the followin"),
            ("I1.a", "I1", 55, 72, "Active arthritis."),
            ("I1.b", "I1", 76, 90, "CRP > 30 mg/L."),
        ],
    ),
    "inline_list_with_paren_dot_markers": (
        "1. High risk, one of the following: 1). Poorly differentiated; 2). Vascular invasion.\n2. ECOG 0-1\n",
        "inclusion",
        [
            ("I1", None, 3, 35, "High risk, one of the following:"),
            ("I1.a", "I1", 40, 62, "Poorly differentiated;"),
            ("I1.b", "I1", 67, 85, "Vascular invasion."),
            ("I2", None, 89, 97, "ECOG 0-1"),
        ],
    ),
    "next_number_after_a_value_in_a_numbered_line": (
        "7\\. ECOG PS 0-1.\n\n8\\. PD-L1 TPS \\<1% 9. appropriate organ function\n\n"
        "Exclusion Criteria:\n\n1. Known EGFR\n",
        "inclusion",
        [
            ("I1", None, 4, 16, "ECOG PS 0-1."),
            ("I2", None, 22, 36, "PD-L1 TPS \\<1%"),
            ("I3", None, 40, 66, "appropriate organ function"),
            ("E1", None, 92, 102, "Known EGFR"),
        ],
    ),
    "lost_line_break_before_the_next_numbered_line": (
        "* Lung infiltrates \\<50% present 3. 12-lead ECG at rest normal\n4. The subject provides consent\n",
        "inclusion",
        [
            ("I1", None, 2, 32, "Lung infiltrates \\<50% present"),
            ("I2", None, 36, 62, "12-lead ECG at rest normal"),
            ("I3", None, 66, 94, "The subject provides consent"),
        ],
    ),
    "inline_roman_list_past_ten": (
        "* Any of the following: (i) asthma; (ii) gout; (iii) lupus; (iv) anemia; (v) sepsis; (vi) stroke; "
        "(vii) angina; (viii) psoriasis; (ix) epilepsy; (x) glaucoma; (xi) hepatitis; (xii) leukemia;\n",
        "inclusion",
        [
            ("I1", None, 2, 23, "Any of the following:"),
            ("I1.a", "I1", 28, 35, "asthma;"),
            ("I1.b", "I1", 41, 46, "gout;"),
            ("I1.c", "I1", 53, 59, "lupus;"),
            ("I1.d", "I1", 65, 72, "anemia;"),
            ("I1.e", "I1", 77, 84, "sepsis;"),
            ("I1.f", "I1", 90, 97, "stroke;"),
            ("I1.g", "I1", 104, 111, "angina;"),
            ("I1.h", "I1", 119, 129, "psoriasis;"),
            ("I1.i", "I1", 135, 144, "epilepsy;"),
            ("I1.j", "I1", 149, 158, "glaucoma;"),
            ("I1.k", "I1", 164, 174, "hepatitis;"),
            ("I1.l", "I1", 181, 190, "leukemia;"),
        ],
    ),
    "lost_break_before_an_indented_list": (
        "Inclusion Criteria:\n\n1. Adults aged 18 to 70.\n\n* Signs of pneumonia and\n"
        "* Lung infiltrates \\<50% present 3. 12-lead ECG at rest clinically normal.\n\n"
        "  4. The subject provides informed written consent.\n\n  5. Agrees to comply with study procedures.\n",
        "inclusion",
        [
            ("I1", None, 24, 45, "Adults aged 18 to 70."),
            ("I2", None, 49, 71, "Signs of pneumonia and"),
            ("I3", None, 74, 104, "Lung infiltrates \\<50% present"),
            ("I4", None, 108, 146, "12-lead ECG at rest clinically normal."),
            ("I5", None, 153, 199, "The subject provides informed written co"),
            ("I6", None, 206, 245, "Agrees to comply with study procedures."),
        ],
    ),
    "bracketed_label_heads_its_items": (
        "Exclusion Criteria:\n\n* Uncontrolled pain\n\n\\[Expansion Part\\]\n\n"
        "* Prior treatment with Treg depletion\n* Malignancies within 5 years\n",
        "inclusion",
        [
            ("E1", None, 23, 40, "Uncontrolled pain"),
            ("E2", None, 64, 99, "Prior treatment with Treg depletion"),
            ("E3", None, 102, 129, "Malignancies within 5 years"),
        ],
    ),
}
HEADING_RUNS: dict[str, list[tuple[str, str | None]]] = {
    "key_and_upper_case_headings": [("I1", "KEY INCLUSION CRITERIA"), ("E1", "Key Exclusion Criteria")],
    "disease_specific_subsections": [("I2", "Specific inclusion criteria"), ("E1", None)],
    "section_lead_ins_are_headings": [
        ("I1", "Participants are eligible to be included in the study only if all of the following criteria apply"),
        ("E1", "Participants are excluded from the study if any of the following criteria apply"),
    ],
    "bracketed_label_heads_its_items": [("E2", "\\[Expansion Part\\]")],
    "repeated_sub_headings_head_their_items": [("E1", "Medical Conditions"), ("E3", "Prior Therapy")],
    "sub_headings_with_a_colon": [
        ("I1", "Screening Phase"),
        ("I2", "Study Phase › Individuals who meet the following criteria are eligible for the study phase"),
    ],
    "NCT07193667": [("I6", "Specific inclusion criteria"), ("E1", None)],
    "NCT05809934": [
        (
            "I1",
            "Key Inclusion Criteria › Participants are eligible to be included in the study only if all the following "
            "criteria apply › Age",
        ),
        ("I2", "Key Inclusion Criteria › Type of Participant and Disease Characteristics"),
        (
            "E1",
            "Key Exclusion Criteria › Participants are excluded from the study if any of the following criteria apply "
            "› Medical Conditions",
        ),
    ],
    "NCT04642755": [
        (
            "I1",
            "Screening Phase › Individuals who meet the following criteria are eligible to participate in the "
            "screening phase",
        ),
        ("I5", "Study Phase"),
        ("E1", "Screening Phase"),
        ("E3", "Study Phase"),
    ],
    "NCT05813925": [
        ("I4", "Diabetes-related for participant with T2D"),
        ("E1", "Obesity-related"),
        ("E2", "Glycaemia-related for participant without T2D"),
        ("E4", "Diabetes-related for participant with T2D"),
    ],
    "NCT05147818": [("I1", "Inclusion criteria for the cases"), ("E1", "Exclusion criteria for cases and controls")],
}
"""The heading of the first criterion of each run of criteria under the same heading (cases not named: none)."""
EXAMPLE_NCT06710717: list[Row] = [
    ("I1", None, 24, 55, "Aged between ≥ 18 to ≤ 65 years"),
    ("I2", None, 56, 234, "Clinical Diagnosis of SLE according to t"),
    ("I3", None, 235, 418, "Positive anti-nuclear antibody (ANA) (ti"),
    ("I4", None, 419, 596, "Active disease (defined by not being in "),
    ("I5", None, 597, 646, "With at least one active organ system in"),
    ("I6", None, 647, 966, "Persistent active disease with insuffici"),
    ("I7", None, 968, 1090, "Serum ALT \\<5 times the normal value, se"),
    ("I8", None, 1091, 1128, "Life expectancy of more than 3 months"),
    ("I9", None, 1129, 1193, "Eastern Cooperative Oncology Group (ECOG"),
    ("I10", None, 1194, 1270, "Psychological, sociological or geographi"),
    ("I11", None, 1271, 1381, "A female of childbearing age must have a"),
    ("I12", None, 1382, 1433, "A male must use two effective contracept"),
    ("E1", None, 1459, 1502, "Active cancer or receiving cancer treatm"),
    ("E2", None, 1503, 1707, "Evidence of severe lung, FVC \\<45% and/o"),
    ("E3", None, 1709, 1802, "Pre-existing irreversible kidney damage "),
    ("E4", None, 1803, 1838, "Severe pancytopenia HIV positivity."),
    ("E5", None, 1839, 1871, "Active Hepatitis B, C infection."),
    ("E6", None, 1872, 1883, "Septicemia."),
    ("E7", None, 1884, 1908, "Pregnant/nursing female."),
    ("E8", None, 1909, 2026, "Receiving stem cell transplant within 12"),
    ("E9", None, 2027, 2050, "Active CNS involvement."),
]

EXAMPLE_NCT07233642: list[Row] = [
    ("I1", None, 23, 68, "Age: ≥ 5 years old, and no gender limita"),
    ("I2", None, 71, 550, "Diagnosed with SLE according to the 2019"),
    ("I3", None, 553, 578, "SLEDAI-2K score≥8 points;"),
    ("I4", None, 581, 636, "The functions of important organs are ba"),
    ("I4.a", "I4", 642, 756, "Cardiac function: Left ventricular eject"),
    ("I4.b", "I4", 762, 799, "Renal function: eGFR≥30mL/min/1.73m2;"),
    ("I4.c", "I4", 805, 883, "Liver function: AST and ALT≤3.0 ULN, tot"),
    ("I4.d", "I4", 889, 938, "Lung function: no serious lung lesions, "),
    ("I5", None, 941, 1052, "Meet the standards of leukapheresis or i"),
    ("I6", None, 1055, 1207, "Negative pregnancy test for female subje"),
    ("I7", None, 1210, 1453, "Participants or their guardians agrees t"),
    ("E1", None, 1479, 1570, "Central nervous system (CNS) disease: CN"),
    ("E2", None, 1573, 1982, "Severe acute nephritis: patients who hav"),
    ("E3", None, 1985, 2295, "Have a history of congenital heart disea"),
    ("E4", None, 2298, 2412, "Uncontrollable infection, or active infe"),
    ("E5", None, 2415, 2576, "Received organ transplantation or hemato"),
    ("E6", None, 2579, 2999, "Hepatitis B surface antigen (HBsAg) or h"),
    ("E7", None, 3002, 3178, "Suffered from macrophage activation synd"),
    ("E8", None, 3181, 3299, "Received CAR-T treatment (except for tho"),
    ("E9", None, 3302, 3359, "Suffered from active pulmonary tuberculo"),
    ("E10", None, 3362, 3418, "Received live vaccine within 4 weeks pri"),
    ("E11", None, 3421, 3454, "Positive in Blood pregnancy test;"),
    ("E12", None, 3457, 3491, "Previous or concurrent malignancy;"),
    ("E13", None, 3494, 3579, "Patients who participated in other clini"),
    ("E14", None, 3582, 3659, "Any other conditions that the investigat"),
]

EXAMPLE_NCT07193667: list[Row] = [
    ("I1", None, 23, 72, "age 18-65 years (including threshold) an"),
    ("I2", None, 75, 163, "positive expression of CD19 in periphera"),
    ("I3", None, 166, 228, "the function of vital organs meets the f"),
    ("I3.a", "I3", 235, 297, "Bone marrow function needs to meet the f"),
    ("I3.a.i", "I3.a", 301, 333, "White blood cell count ≥3×109/L;"),
    ("I3.a.ii", "I3.a", 337, 444, "Neutrophil count ≥1×109/L (no colony-sti"),
    ("I3.a.iii", "I3.a", 448, 466, "Hemoglobin ≥60g/L;"),
    ("I3.b", "I3", 472, 744, "Liver function: ALT≤3×ULN (except for el"),
    ("I3.c", "I3", 750, 879, "Renal function: creatinine clearance (Cr"),
    ("I3.d", "I3", 885, 982, "Coagulation: international normalized ra"),
    ("I3.e", "I3", 988, 1028, "Cardiac function: hemodynamic stability;"),
    ("I4", None, 1031, 1433, "female subjects of childbearing potentia"),
    ("I5", None, 1436, 1571, "Voluntarily participate in this clinical"),
    ("I6", None, 1605, 1654, "Relapsed refractory systemic lupus eryth"),
    ("I6.a", "I6", 1657, 1784, "meets the 2019 European League Against R"),
    ("I6.b", "I6", 1787, 2063, "have a Disease Activity Score SLEDAI⁃200"),
    ("I6.c", "I6", 2066, 2207, "Definition of relapse-refractory: failur"),
    ("I7", None, 2210, 2269, "Relapsing Refractory/Progressive Diffuse"),
    ("I7.a", "I7", 2272, 2378, "meets the 2013 ACR's classification crit"),
    ("I7.b", "I7", 2381, 2438, "is positive for antibodies related to sy"),
    ("I7.c", "I7", 2441, 2563, "diffuse cutaneous sclerosis manifestatio"),
    ("I7.d", "I7", 2566, 2709, "definition of relapsing-refractory: fail"),
    ("I7.e", "I7", 2712, 2891, "Definition of Progressive: Rapid cutaneo"),
    ("I7.f", "I7", 2894, 2957, "Note: It is sufficient if one of Article"),
    ("I8", None, 2960, 3013, "Relapsed refractory/progressive inflamma"),
    ("I8.a", "I8", 3016, 3126, "meets the 2017 EULAR/ACR classification "),
    ("I8.b", "I8", 3129, 3168, "is positive for antibodies to myositis;"),
    ("I8.c", "I8", 3171, 3566, "in those with muscle involvement, an MMT"),
    ("I8.d", "I8", 3569, 3710, "Definition of relapse refractory: failur"),
    ("I8.e", "I8", 3713, 3827, "Definition of progressive: the presence "),
    ("I8.f", "I8", 3830, 3893, "Note: It is sufficient if one of Article"),
    ("I9", None, 3896, 3951, "Relapsed Refractory/Progressive Immune T"),
    ("I9.a", "I9", 3954, 4058, "meets the 2019 American Society of Hemat"),
    ("I9.b", "I9", 4061, 4166, "have bone marrow morphology characterize"),
    ("I9.c", "I9", 4169, 4209, "exclude other secondary thrombocytopenia"),
    ("I9.d", "I9", 4212, 4566, "Definition of recurrent refractory: a pa"),
    ("I9.e", "I9", 4569, 4830, "Definition of progressive: a sustained d"),
    ("I9.f", "I9", 4833, 4896, "Note: It is sufficient if one of Article"),
    ("E1", None, 4921, 4973, "A history of severe drug allergies or se"),
    ("E2", None, 4976, 5092, "the presence or suspicion of fungal, bac"),
    ("E3", None, 5095, 5176, "persons with central nervous system diso"),
    ("E4", None, 5179, 5219, "those with intolerable cardiac function;"),
    ("E5", None, 5222, 5270, "subjects with congenital immunoglobulin "),
    ("E6", None, 5273, 5328, "history of malignant tumors within the l"),
    ("E7", None, 5331, 5355, "end-stage renal failure;"),
    ("E8", None, 5358, 5735, "subjects with positive Hepatitis B surfa"),
    ("E9", None, 5738, 5785, "mental illness and severe cognitive impa"),
    ("E10", None, 5788, 5867, "have participated in other clinical tria"),
    ("E11", None, 5870, 5989, "immunosuppressants or biologics with a t"),
    ("E12", None, 5992, 6044, "women who are pregnant or intend to beco"),
    ("E13", None, 6047, 6152, "subjects who, in the opinion of the inve"),
]

EXAMPLE_NCT06010472: list[Row] = [
    ("I1", None, 23, 175, "Age: ≥ 18 years old and ≤ 65 years old, "),
    ("I2", None, 179, 302, "Previous diagnosis of systemic lupus ery"),
    ("I3", None, 306, 575, "Females of childbearing potential must u"),
    ("I4", None, 579, 692, "Subjects with Systemic Lupus Erythematos"),
    ("I5", None, 696, 842, "Subject has ≥ 1 organ system with BILAG-"),
    ("I6", None, 846, 882, "Subjects meets one of the following:"),
    ("I6.a", "I6", 886, 961, "Antinuclear antibody (ANA) ≥ 1:80, deter"),
    ("I6.b", "I6", 965, 1016, "Anti-dsDNA antibodies are higher than no"),
    ("I6.c", "I6", 1020, 1070, "Anti-Smith antibodies are higher than no"),
    ("I7", None, 1074, 1138, "Absolute number of neutrophils ≥ 1.0×10\\"),
    ("I8", None, 1142, 1189, "Left ventricular ejection fraction (LVEF"),
    ("I9", None, 1193, 1352, "Subjects have been treated with oral cor"),
    ("E1", None, 1376, 1596, "Subjects with known severe allergic reac"),
    ("E2", None, 1600, 1786, "Subjects with active infection receiving"),
    ("E3", None, 1790, 1853, "Subjects with acquired and congenital im"),
    ("E4", None, 1857, 1922, "Subjects with grade III or IV heart fail"),
    ("E5", None, 1926, 1992, "History of epilepsy or other central ner"),
    ("E6", None, 1996, 2097, "History of severe herpetic infection, su"),
    ("E7", None, 2101, 2150, "History of other primary malignant tumor"),
    ("E7.a", "E7", 2154, 2247, "Cured non-melanoma skin cancer by surgic"),
    ("E7.b", "E7", 2251, 2349, "Cured primary malignant tumors, such as "),
    ("E8", None, 2353, 2790, "Signs of herpes or varicella-zoster viru"),
    ("E9", None, 2794, 2872, "Females who are pregnant, lactating, or "),
    ("E10", None, 2877, 3224, "Any active skin disease that may interfe"),
    ("E11", None, 3229, 3302, "Subjects who have received other clinica"),
    ("E12", None, 3307, 3395, "Subjects who have received B cell-target"),
    ("E13", None, 3400, 3672, "Any abnormal laboratory test results jud"),
    ("E14", None, 3677, 3806, "Any situation judged by the investigator"),
]

CORPUS_NCT00576225: list[Row] = [
    ("I1", None, 24, 64, "Women with baseline estradiol \\>25 pg/mL"),
    ("I2", None, 68, 130, "Histologically- or cytologically-confirm"),
    ("I3", None, 134, 176, "ECOG performance score (PS) of 0, 1, or "),
    ("I4", None, 180, 240, "Patients must meet one of the following "),
    ("I4.a", "I4", 245, 308, "Recurrent disease following completion o"),
    ("I4.b", "I4", 313, 427, "Stage IIIB disease and not be a candidat"),
    ("I4.c", "I4", 432, 449, "Stage IV disease."),
    ("I5", None, 453, 478, "At least 18 years of age."),
    ("I6", None, 482, 511, "Adequate bone marrow function"),
    ("I7", None, 515, 538, "Adequate renal function"),
    ("I8", None, 542, 567, "Adequate hepatic function"),
    ("I9", None, 571, 596, "Life expectancy ≥12 weeks"),
    ("E1", None, 622, 755, "Known hypersensitivity to the excipients"),
    ("E2", None, 759, 849, "Evidence of small cell carcinoma, carcin"),
    ("E3", None, 853, 891, "Weight loss \\>10% in previous 6 months"),
    ("E4", None, 895, 911, "LDH \\> 2.5X IULN"),
    ("E5", None, 915, 978, "Both LDH \\> 1.5X IULN and ≥ 5% weight lo"),
    ("E6", None, 982, 990, "BMI \\>35"),
    ("E7", None, 994, 1154, "Any prior systemic chemotherapy for the "),
    ("E8", None, 1158, 1219, "Local palliative radiotherapy \\< 7 days "),
    ("E9", None, 1223, 1286, "Radiation with curative intent \\< 30 day"),
    ("E10", None, 1291, 1380, "Concurrent primary malignancies except f"),
    ("E11", None, 1385, 1415, "Grade 2 or greater neuropathy."),
    ("E12", None, 1420, 1521, "Evidence of significant unstable neurolo"),
    ("E13", None, 1526, 1603, "Clinically significant active infection "),
    ("E14", None, 1608, 1714, "Investigational therapy within 4 weeks b"),
    ("E15", None, 1719, 1844, "Unstable medical conditions including un"),
    ("E16", None, 1849, 1883, "Pregnant women or nursing mothers."),
]

CORPUS_NCT05417880: list[Row] = [
    ("I1", None, 23, 48, "Patients aged 40-60 years"),
    ("I2", None, 51, 82, "Type 2 DM for at least 10 years"),
    ("I3", None, 85, 162, "Currently on at least 1 regular monother"),
    ("I4", None, 165, 193, "Vitamin D levels \\< 30 mg/mL"),
    ("E1", None, 216, 239, "Other types of Diabetes"),
    ("E2", None, 243, 361, "Pregnant or lactating mothers or women o"),
    ("E3", None, 363, 436, "Diabetic ketoacidosis (DKA) and/or recen"),
    ("E4", None, 440, 563, "Severe renal (CKD Stage 5, ESRD, eGFR \\<"),
    ("E5", None, 566, 607, "Presence of any of the following disease"),
    ("E5.a", "E5", 610, 640, "Hypothyroidism/hyperthyroidism"),
    ("E5.b", "E5", 643, 722, "Blood disorders causing unstable red blo"),
    ("E5.c", "E5", 725, 752, "Benign Prostate Hyperplasia"),
    ("E5.d", "E5", 755, 852, "Recent Acute Coronary Syndrome (ACS), st"),
    ("E6", None, 855, 903, "Patients taking any of the following med"),
    ("E6.a", "E6", 906, 921, "Anti-epileptics"),
    ("E6.b", "E6", 924, 933, "Diuretics"),
    ("E6.c", "E6", 936, 968, "Insulin or Insulin Secretagogues"),
    ("E6.d", "E6", 971, 1018, "Anti-Obesity or weight loss drugs (eg Or"),
    ("E7", None, 1021, 1091, "Presence of any granulomatous disease li"),
    ("E8", None, 1094, 1195, "History of allergy or hypersensitivity r"),
    ("E9", None, 1198, 1255, "Risk of hypotension including low systol"),
    ("E10", None, 1258, 1435, "Patients with recurrent and/or recent (p"),
    ("E11", None, 1438, 1487, "High Low Density Lipoprotein (LDL-C) \\> "),
]

CORPUS_NCT01892319: list[Row] = [
    ("I1", None, 22, 74, "Informed consent obtained before any dat"),
    ("I2", None, 77, 113, "Woman with a positive pregnancy test"),
    ("I3", None, 116, 176, "Diabetes mellitus type 1 or 2, diagnosed"),
    ("I4", None, 179, 256, "Currently treated with Levemir® or other"),
    ("I5", None, 259, 418, "Unchanged basal insulin or other injecta"),
    ("E1", None, 441, 542, "Women who have been pregnant for more th"),
]

CORPUS_NCT05809934: list[Row] = [
    ("I1", None, 131, 229, "Participant must be 18 to 75 years of ag"),
    ("I2", None, 285, 356, "Participants who are carriers for the PN"),
    ("I3", None, 360, 558, "Participants with histological evidence "),
    ("I3.a", "I3", 566, 676, "Definitive NASH with NAS ≥ 4 with ≥ 1 in"),
    ("I3.b", "I3", 697, 823, "Presence of fibrosis stage F2 or F3 acco"),
    ("E1", None, 956, 1193, "Liver disease of other aetiologies (eg, "),
    ("E2", None, 1197, 1313, "History of cirrhosis and/or hepatic deco"),
    ("E3", None, 1317, 1473, "Historical persistent or pre-existing re"),
    ("E4", None, 1477, 1550, "Confirmed platelet count outside the nor"),
    ("E5", None, 1554, 1608, "Any of the following confirmed at the sc"),
    ("E5.a", "E5", 1616, 1632, "ALT \\> 5.0 × ULN"),
    ("E5.b", "E5", 1639, 1725, "TBL \\> 1.5 mg/dL (TBL \\> 1.5 mg/dL is al"),
    ("E5.c", "E5", 1732, 1742, "INR \\> 1.3"),
    ("E5.d", "E5", 1749, 1856, "ALP \\> 1.5 × ULN (unless the ALP elevati"),
]

CORPUS_NCT04642755: list[Row] = [
    ("I1", None, 139, 159, "Aged 14 to 65 years."),
    ("I2", None, 163, 234, "Willingness to provide blood, urine, and"),
    ("I3", None, 238, 282, "Willingness to have samples and data sto"),
    ("I4", None, 286, 319, "Able to provide informed consent."),
    ("I5", None, 335, 450, "Individuals are eligible for the study p"),
    ("I5.a", "I5", 455, 514, "LTBI+ and severe to moderate malnutritio"),
    ("I5.b", "I5", 518, 557, "LTBI+ and uncontrolled DM (HbA1c \\>8%);"),
    ("I5.c", "I5", 561, 628, "LTBI+ and helminth infection (positive s"),
    ("I5.d", "I5", 632, 697, "LTBI+ with more than one of the conditio"),
    ("I5.e", "I5", 701, 779, '"healthy" LTBI+ controls who are negativ'),
    ("I5.f", "I5", 783, 848, "healthy LTBI negative controls with none"),
    ("E1", None, 892, 1023, "Pulmonary symptoms suggestive of TB (cou"),
    ("E2", None, 1027, 1094, "Two IGRA tests with indeterminate result"),
    ("E3", None, 1113, 1244, "Pulmonary symptoms suggestive of TB (cou"),
    ("E4", None, 1248, 1276, "Pregnant or lactating women."),
    ("E5", None, 1280, 1308, "Previous treatment for LTBI."),
    ("E6", None, 1312, 1385, "Anemia with hemoglobin \\<8 g/dl (evaluat"),
    ("E7", None, 1389, 1472, "For LTBI+ participants, clinically indic"),
    ("E8", None, 1476, 1575, "For malnourished participants, clinicall"),
    ("E9", None, 1579, 1685, "Known documented cases of cancer, acquir"),
    ("E10", None, 1689, 1911, "History of any other illness or conditio"),
]

CORPUS_NCT05813925: list[Row] = [
    ("I1", None, 23, 37, "Male or female"),
    ("I2", None, 40, 117, "Age greater than to or equal 18 years at"),
    ("I3", None, 120, 454, "a) Body mass index (BMI) greater than or"),
    ("I4", None, 501, 570, "Diagnosed with T2D greater than or equal"),
    ("I5", None, 573, 700, "HbA1c 7.0-10.0 percent (53-86 millimoles"),
    ("I6", None, 703, 1027, "Treatment with either lifestyle interven"),
    ("I7", None, 1030, 1165, "Treatment with oral antidiabetic drugs s"),
    ("E1", None, 1207, 1330, "Treatment with any medication prescribed"),
    ("E2", None, 1381, 1488, "HbA1c greater than or equal to 6.5 perce"),
    ("E3", None, 1491, 1527, "History of type 1 or type 2 diabetes"),
    ("E4", None, 1574, 1758, "Renal impairment with estimated glomerul"),
    ("E5", None, 1761, 1876, "Clinically significant or severe hypogly"),
    ("E6", None, 1879, 2217, "Uncontrolled and potentially unstable di"),
]

CORPUS_NCT05147818: list[Row] = [
    ("I1", None, 60, 436, "200 Diabetic patients of 18 year and old"),
    ("I2", None, 438, 459, "KDIGO staging of AKI:"),
    ("I2.a", "I2", 464, 586, "stage 1: Serum creatinine 1.5-1.9 × base"),
    ("I2.b", "I2", 591, 674, "stage 2; Serum creatinine 2.0-2.9 × base"),
    ("I2.c", "I2", 679, 954, "stage 3: Serum creatinine 3.0 × baseline"),
    ("I3", None, 956, 1070, "Inclusion criteria for matched controls "),
    ("E1", None, 1140, 1170, "Non-Diabetic patients with AKI"),
    ("E2", None, 1174, 1197, "Diabetic patients with:"),
    ("E2.a", "E2", 1204, 1220, "HBS Ag, HCV, HIV"),
    ("E2.b", "E2", 1226, 1238, "Active Lupus"),
    ("E2.c", "E2", 1244, 1261, "Active Malignancy"),
    ("E2.d", "E2", 1267, 1297, "Acute or Chronic Liver Disease"),
    ("E2.e", "E2", 1303, 1318, "Acute poisoning"),
]

CORPUS_NCT05814159: list[Row] = [
    ("I1", None, 24, 101, "Male and female patients, 8 months of ag"),
    ("I2", None, 105, 171, "Diagnosis of Still's disease within 15 m"),
    ("I3", None, 175, 404, "If \\< 16 years of age at disease onset, "),
    ("I4", None, 408, 475, "Active disease confirmed by the followin"),
    ("I4.a", "I4", 479, 509, "Active arthritis in ≥ 1 joint."),
    ("I4.b", "I4", 513, 528, "CRP \\> 30 mg/L."),
    ("I4.c", "I4", 532, 645, "At least one fever episode (≥ 38.0 degre"),
    ("I5", None, 649, 728, "The result of tuberculosis test within 8"),
    ("E1", None, 754, 855, "Previous or current treatment with anaki"),
    ("E2", None, 859, 910, "Use of the following therapies prior to "),
    ("E2.a", "E2", 918, 974, "Narcotic analgesics within 24 hours prio"),
    ("E2.b", "E2", 981, 1054, "Diaminodiphenyl sulfone or etanercept wi"),
    ("E2.c", "E2", 1061, 1207, "Intraarticular, intramuscular, or intrav"),
    ("E2.d", "E2", 1214, 1362, "Intravenous immunoglobulins with proven "),
    ("E2.e", "E2", 1369, 1574, "Thalidomide, cyclosporine, mycophenolate"),
    ("E2.f", "E2", 1581, 1710, "Tocilizumab within 4 weeks prior to enro"),
    ("E2.g", "E2", 1717, 1763, "Rituximab within 26 weeks prior to enrol"),
    ("E3", None, 1767, 1816, "Live vaccines within 4 weeks prior to en"),
    ("E4", None, 1820, 2077, "Known presence or suspicion of active, c"),
    ("E5", None, 2081, 2181, "Clinical evidence of liver disease or li"),
    ("E6", None, 2185, 2248, "Presence of severe chronic kidney diseas"),
    ("E7", None, 2252, 2329, "Presence of neutropenia (absolute neutro"),
    ("E8", None, 2333, 2397, "Presence of thrombocytopenia (platelets "),
    ("E9", None, 2401, 2442, "Presence or suspicion of MAS at baseline"),
    ("E10", None, 2447, 2510, "A diagnosis of MAS within the last 8 wee"),
]

CORPUS_NCT02526537: list[Row] = [
    ("I1", None, 24, 77, "High-risk who meet one of the following "),
    ("I1.a", "I1", 82, 148, "Poorly differentiated carcinoma (includi"),
    ("I1.b", "I1", 153, 171, "Vascular invasion;"),
    ("I1.c", "I1", 176, 227, "Tumor diameter≥4cm 5). Visceral pleura i"),
    ("I2", None, 231, 279, "Patients with pathology confirmed Ib sta"),
    ("I3", None, 283, 361, "Patients with deletion of exon 19 or mut"),
    ("I4", None, 365, 382, "ECOG score of 0-1"),
    ("I5", None, 386, 415, "Life expectancy over 12 weeks"),
    ("I6", None, 419, 543, "Absolute neutrophil count (ANC) \\>= 1.75"),
    ("I7", None, 547, 761, "Total bilirubin \\<= the normal value of "),
    ("I8", None, 765, 873, "Serum creatinine \\<=1.25 times of the up"),
    ("I9", None, 877, 951, "received the informed consent from patie"),
    ("E1", None, 977, 1063, "Patients who was serious allergy to any "),
    ("E2", None, 1067, 1137, "Patients who unable to comply with the s"),
    ("E3", None, 1141, 1244, "Patients with severe systemic disease th"),
    ("E4", None, 1248, 1330, "Patients have severe heart disease, such"),
    ("E5", None, 1334, 1371, "Patients have interstitial pneumonia;"),
    ("E6", None, 1375, 1445, "Patients who were confirmed to be positi"),
    ("E7", None, 1449, 1531, "The preoperative chest CT showed nodules"),
    ("E8", None, 1535, 1569, "Patients received wedge resection;"),
    ("E9", None, 1573, 1679, "Patients used HER2 pathways involved dru"),
    ("E10", None, 1684, 1792, "Patients who have received chemotherapy "),
    ("E11", None, 1797, 1828, "Patients received radiotherapy;"),
    ("E12", None, 1833, 1973, "Having other malignant tumors in the las"),
    ("E13", None, 1978, 2210, "Any unstable systemic diseases (includin"),
    ("E14", None, 2215, 2315, "Patients who do not get effective treatm"),
    ("E15", None, 2320, 2448, "Physical examination or laboratory findi"),
    ("E16", None, 2453, 2493, "Patients with serious active infections;"),
    ("E17", None, 2498, 2539, "Patients with T790M mutations at 20 exon"),
    ("E18", None, 2544, 2580, "Woman who are pregnant or lactating."),
]

EXAMPLES: dict[str, list[Row]] = {
    "NCT06710717": EXAMPLE_NCT06710717,
    "NCT07233642": EXAMPLE_NCT07233642,
    "NCT07193667": EXAMPLE_NCT07193667,
    "NCT06010472": EXAMPLE_NCT06010472,
}
CORPUS: dict[str, list[Row]] = {
    "NCT00576225": CORPUS_NCT00576225,
    "NCT05417880": CORPUS_NCT05417880,
    "NCT01892319": CORPUS_NCT01892319,
    "NCT05809934": CORPUS_NCT05809934,
    "NCT04642755": CORPUS_NCT04642755,
    "NCT05813925": CORPUS_NCT05813925,
    "NCT05147818": CORPUS_NCT05147818,
    "NCT05814159": CORPUS_NCT05814159,
    "NCT02526537": CORPUS_NCT02526537,
}


def _check(text: str, section: Section, expected: list[Row], name: str) -> None:
    got = segment(text, section)
    for criterion in got:
        assert criterion.text == text[criterion.start : criterion.end]
    rows = [(c.id, c.parent, c.start, c.end, c.text[:40]) for c in got]
    assert rows == expected
    assert _heading_runs(got) == HEADING_RUNS.get(name, [])


def _heading_runs(criteria: tuple[Criterion, ...]) -> list[tuple[str, str | None]]:
    runs: list[tuple[str, str | None]] = []
    heading: str | None = None
    for criterion in criteria:
        if criterion.heading != heading:
            runs.append((criterion.id, criterion.heading))
            heading = criterion.heading
    return runs


@pytest.mark.parametrize("name", list(SYNTHETIC))
def test_synthetic_shapes(name: str) -> None:
    text, section, expected = SYNTHETIC[name]
    _check(text, section, expected, name)


@pytest.mark.parametrize("nct_id", list(EXAMPLES))
def test_example_trials(nct_id: str, examples_dir: Path) -> None:
    record = json.loads((examples_dir / f"{nct_id}.json").read_text(encoding="utf-8"))
    text = record["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
    _check(text, "inclusion", EXAMPLES[nct_id], nct_id)


@pytest.mark.parametrize("nct_id", list(CORPUS))
def test_corpus_records_in_place(nct_id: str, corpus: Corpus) -> None:
    _check(corpus.criteria(nct_id), "inclusion", CORPUS[nct_id], nct_id)
