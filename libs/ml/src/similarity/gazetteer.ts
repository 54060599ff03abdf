/**
 * Places users often type in lower case ("flights to paris"): treated as entities by the
 * verification step whatever their case. Countries, capitals, large cities, US states.
 */
const PLACES = `
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain bangladesh
barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burundi cambodia cameroon
canada chad chile china colombia comoros congo croatia cuba cyprus czechia czech denmark djibouti dominica ecuador egypt
eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada guatemala guinea
guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya
kiribati korea kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg
madagascar malawi malaysia maldives mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro
morocco mozambique myanmar namibia nauru nepal netherlands holland nicaragua niger nigeria norway oman pakistan palau
palestine panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa senegal serbia seychelles
singapore slovakia slovenia somalia spain sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo
tonga tunisia turkey turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe
england scotland wales britain uk usa america europe asia africa antarctica oceania
kabul tirana algiers luanda yerevan canberra vienna baku manama dhaka minsk brussels sarajevo brasilia sofia ottawa santiago
beijing bogota zagreb havana nicosia prague copenhagen cairo tallinn helsinki paris tbilisi berlin athens budapest reykjavik
delhi jakarta tehran baghdad dublin jerusalem rome kingston tokyo amman astana nairobi riyadh seoul pyongyang beirut vilnius
madrid lisbon warsaw bucharest moscow belgrade bratislava ljubljana stockholm bern damascus taipei bangkok tunis ankara kyiv
kiev london washington montevideo caracas hanoi lusaka harare oslo wellington amsterdam lima manila doha dakar singapore
new-york nyc la sf chicago boston seattle denver austin dallas houston miami atlanta phoenix philadelphia detroit portland
vegas orlando nashville toronto vancouver montreal calgary sydney melbourne brisbane perth auckland mumbai bangalore
bengaluru chennai kolkata hyderabad karachi lahore shanghai shenzhen guangzhou hongkong osaka kyoto nagoya busan istanbul
dubai abu lagos accra johannesburg casablanca marrakech munich hamburg frankfurt cologne milan naples venice florence
barcelona valencia seville porto lyon marseille zurich geneva rotterdam antwerp edinburgh glasgow manchester
liverpool birmingham leeds bristol krakow gdansk salzburg st-petersburg rio sao buenos aires mexico-city cancun bogota
alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois indiana iowa
kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada
ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia wisconsin wyoming
`;

export const GAZETTEER: ReadonlySet<string> = new Set(PLACES.split(/\s+/).filter((w) => w.length > 1));
