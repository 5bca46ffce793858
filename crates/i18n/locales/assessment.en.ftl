# assessment messages (en). Keys here must not repeat those of other files.
# The TIP / SOM assessment (crates/domain/src/assessment.rs) and its indicators
# (crates/domain/data/indicators.toml). A test in the domain crate checks that every indicator,
# category, suggestion, reason, question, element, status, conclusion and topic has a message here.
# Reasons take no arguments: the screen lists the labels of the reason's indicators under it.

## Suggestions

suggestion-trafficking = Suggests trafficking in persons (TIP)
suggestion-smuggling = Suggests smuggling of migrants (SOM)
suggestion-both = Suggests both trafficking in persons and smuggling of migrants
suggestion-neither = Suggests neither trafficking nor smuggling
suggestion-insufficient_information = Not enough facts to suggest a conclusion

## Indicator groups

indicator-category-act = Act: what was done to the person
indicator-category-act-hint = Tick each thing that someone did to the person: recruit, move, hand over, keep or receive them.
indicator-category-means = Means: how the person's will was overridden
indicator-category-means-hint = Tick each means used. For a child (under 18) the means need not be shown.
indicator-category-purpose = Purpose: exploitation, actual or intended
indicator-category-purpose-hint = Tick the exploitation the person suffered or was meant to suffer. It need not have happened yet.
indicator-category-forced_labour = Signs of forced labour (ILO indicators)
indicator-category-forced_labour-hint = Tick what the person went through at work. Several of these together point to forced labour.
indicator-category-smuggling = Smuggling: border, papers and payment
indicator-category-smuggling-hint = Tick what is known about the journey across the border and who was paid for it.
indicator-category-vulnerability = Vulnerability
indicator-category-vulnerability-hint = Circumstances that made the person easy to exploit. They are not means by themselves; someone taking advantage of them is.

## Indicators: act

indicator-recruitment = Recruited (offered a job, a marriage or a journey)
indicator-transportation = Transported (taken from one place to another)
indicator-transfer = Transferred (handed over from one person to another)
indicator-harbouring = Harboured (kept or hidden somewhere)
indicator-receipt = Received (taken in on arrival)

## Indicators: means

indicator-threat = Threatened
indicator-use_of_force = Force used (beaten, held down, locked up)
indicator-coercion = Coerced in other ways (made to comply against their will)
indicator-abduction = Abducted or kidnapped
indicator-fraud = Fraud (false contract, false papers, false promises of pay)
indicator-deception = Deceived about the work, the pay, the place or the marriage
indicator-abuse_of_power = Abuse of power (by an employer, official, elder or relative with authority)
indicator-abuse_of_vulnerability = Someone took advantage of the person's poverty, debt, age, illness or lack of status
indicator-payment_to_person_in_control = Money or a benefit given to, or taken by, a person in control of them (parent, husband, guardian, employer)

## Indicators: purpose

indicator-purpose_sexual_exploitation = Sexual exploitation
indicator-purpose_forced_labour = Forced labour or services
indicator-purpose_bonded_labour = Bonded labour (work to pay off a debt)
indicator-purpose_domestic_servitude = Domestic servitude
indicator-purpose_forced_marriage = Forced marriage
indicator-purpose_forced_begging = Forced begging
indicator-purpose_organ_removal = Removal of organs
indicator-purpose_child_camel_jockey = Child used as a camel jockey
indicator-purpose_children_in_crime = Child used in crime (drugs, theft)
indicator-purpose_other_exploitation = Other exploitation

## Indicators: the 11 ILO signs of forced labour

indicator-ilo_abuse_of_vulnerability = Employer took advantage of the worker's vulnerability
indicator-ilo_deception = Deceived about the work, the pay or the conditions
indicator-ilo_restriction_of_movement = Not free to leave the workplace or the lodging
indicator-ilo_isolation = Kept isolated (cut off from family, no phone, remote place)
indicator-ilo_physical_sexual_violence = Physical or sexual violence
indicator-ilo_intimidation_threats = Intimidated or threatened (with police, deportation, harm to family)
indicator-ilo_retention_of_documents = Passport or identity card taken away
indicator-ilo_withholding_of_wages = Wages withheld or not paid
indicator-ilo_debt_bondage = Debt bondage (working off a debt that never ends)
indicator-ilo_abusive_conditions = Abusive working or living conditions
indicator-ilo_excessive_overtime = Excessive hours or overtime

## Indicators: smuggling

indicator-crossed_international_border = Crossed an international border
indicator-intercepted_before_crossing = Stopped before crossing (intercepted or offloaded)
indicator-irregular_entry = Entered another country illegally (no visa, no checkpoint)
indicator-irregular_exit = Left or tried to leave Pakistan illegally (not through an exit point, or evading immigration)
indicator-unofficial_crossing_point = Crossed away from an official crossing (mountain route, boat from the coast)
indicator-fraudulent_travel_documents = Forged, altered or fraudulently obtained passport or visa, or someone else's
indicator-concealed_in_transport = Hidden in a vehicle, container or boat
indicator-paid_facilitator = Paid an agent or facilitator for the journey
indicator-fee_owed_to_facilitator = Owes the fee to the agent (to be paid later or from wages)
indicator-paid_through_hawala = Paid through hawala

## Indicators: vulnerability

indicator-poverty = Poverty
indicator-family_debt = Family in debt
indicator-cannot_read = Cannot read or write
indicator-disability = Disability or serious illness
indicator-irregular_status = No legal status where they were
indicator-dependent_on_sponsor = Dependent on an employer or sponsor for visa or stay
indicator-language_barrier = Did not speak the local language
indicator-refugee_or_displaced = Refugee or displaced person
indicator-substance_dependence = Dependent on drugs or alcohol
indicator-repeat_encounter = Met before (intercepted, deported or offloaded earlier)

## Questions

assess-q-age_years = Age at the time of the events (years)
assess-q-is_child = Was the person a child (under 18)?
assess-q-exploitation_forms = Forms of exploitation (actual or intended)
assess-q-crossed_border = Did the person cross an international border into a country where they are not a national or resident?
assess-q-irregular_crossing = Was the entry into that country, or the exit from Pakistan, illegal (no valid papers, away from official crossings, false documents)?
assess-q-benefit_to_facilitator = Did the person who arranged the journey receive, or was promised, money or another benefit?
assess-q-consented = Did the person agree to the journey or the work?
assess-q-exploited_en_route = Was the person exploited on the way or at the destination?
assess-answer-yes = Yes
assess-answer-no = No
assess-answer-unknown = Not known

## Elements, findings, conclusions

assess-element-act = Act
assess-element-means = Means
assess-element-purpose = Purpose
assess-element-border = Border crossing
assess-element-irregularity = Illegal entry or exit
assess-element-benefit = Benefit to the smuggler
assess-status-shown = Shown
assess-status-not_shown = Not shown
assess-status-not_required = Not needed (child)
assess-status-unknown = Not known
assess-status-contradictory = Answers disagree
assess-conclusion-yes = Yes
assess-conclusion-no = No
assess-conclusion-unknown = Not known
assess-topic-trafficking = Trafficking in persons
assess-topic-smuggling = Smuggling of migrants
assess-topic-general = Conclusion

## Reasons

assess-conflict_child = The age and the answer to "was the person a child?" disagree. Correct one of them; until then the person's age is treated as unknown.
assess-conflict_border = The answer says no border was crossed, but a ticked sign says one was. Correct one of them.
assess-conflict_irregularity = The answer says the crossing was legal, but a ticked sign says it was not. Correct one of them.
assess-conflict_benefit = The answer says nobody was paid, but a ticked sign says someone was. Correct one of them.
assess-tip_not_assessed = Nothing was recorded about the act, the means or the purpose, so trafficking has not been assessed.
assess-tip_act_shown = Someone recruited, moved, handed over, kept or received the person: this is the act of trafficking.
assess-tip_act_not_shown = No act was recorded: nobody is said to have recruited, moved, handed over, kept or received the person. Keeping or receiving someone counts too.
assess-tip_exploited_en_route = The person was exploited while being moved or on arrival: this shows both the act and the purpose of exploitation.
assess-tip_means_shown = The means were used to override the person's will.
assess-tip_irregular_migrant_exploited = The person crossed illegally and was then exploited. A migrant without legal status, far from home and dependent on others, is in a vulnerable position; exploiting them abuses it, and that is a means of trafficking.
assess-tip_child_means_not_required = The person is a child (under 18): for a child the means need not be shown.
assess-tip_no_means_adult = No means (threat, force, coercion, abduction, fraud, deception, abuse of power or of vulnerability, payment to a person in control) was recorded, so for an adult this is not trafficking.
assess-tip_means_depend_on_age = No means was recorded and the age is not known: for a child (under 18) this would be trafficking, for an adult it would not. Record the age.
assess-tip_check_abuse_of_vulnerability = The person was vulnerable. If someone took advantage of that, tick "took advantage of the person's poverty, debt, age, illness or lack of status" as the means.
assess-tip_purpose_shown = The person was exploited, or was meant to be: this is the purpose of trafficking.
assess-tip_purpose_not_shown = No exploitation, actual or intended, was recorded (such as forced labour, bonded labour, sexual exploitation, domestic servitude, forced marriage, begging or organ removal).
assess-tip_consent_irrelevant = The person agreed, but that does not matter: consent is no defence once any of the means was used, and a child cannot consent to being exploited.
assess-tip_suggested = The act, the purpose and, for an adult, the means are all shown: this points to trafficking in persons.
assess-tip_no_border_needed = No border was crossed, but trafficking needs none: it can happen entirely inside Pakistan.
assess-som_not_assessed = Nothing was recorded about a border crossing, illegal entry or exit, or payment for the journey, so smuggling has not been assessed.
assess-som_border_shown = The person crossed an international border.
assess-som_attempt = The person was stopped before crossing (intercepted or offloaded). An attempt to smuggle is an offence too.
assess-som_border_not_shown = No international border was crossed or about to be crossed, so this is not smuggling.
assess-som_border_unknown = It is not known whether the person crossed, or was about to cross, an international border.
assess-som_irregular_shown = The entry or exit was illegal: no valid papers, away from official crossings, false documents or hidden in transport.
assess-som_lawful_crossing = The border was crossed legally. Paying someone for a legal journey is not smuggling, though recruiting for work abroad without a licence may be another offence.
assess-som_irregular_unknown = It is not known whether the entry or exit was illegal.
assess-som_benefit_shown = The person who arranged the journey was paid or promised money or another benefit.
assess-som_no_benefit = Nobody gained money or another material benefit from moving the person, so this is not smuggling.
assess-som_benefit_unknown = It is not known whether anyone was paid or promised a benefit for the journey.
assess-som_suggested = Smuggling needs an international border crossing (or an attempt), an illegal entry or exit, and a benefit to the smuggler: all three were recorded.
assess-som_without_consent = The person did not agree to the journey. Smuggled migrants agree to be moved; someone moved against their will may be a trafficking victim, so check the means.
assess-both_smuggled_and_exploited = A smuggled migrant who was exploited on the way is also a victim of trafficking: treat the person as a victim, not an offender.
assess-both_separate_offences = Trafficking and smuggling are separate crimes: record both crime types and charge each under its own law.
assess-neither_suggested = The facts recorded show neither trafficking nor smuggling. The officer decides; assess again if more comes to light.
assess-insufficient_information = Not enough facts: the act, the means, the purpose, the age, the border crossing or the payment is not known. Answer the open questions.
