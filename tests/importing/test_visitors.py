"""Reading a "Visits by Foreign Leaders" <visitor>: offices as the source writes them (typos,
spacing, prefixes, suffixes, ranks), honorifics kept in the name, several leaders in one string."""

import pytest

from visits.importing.visitors import Visitor, read_visitors

# visitor -> the (office, name) of each leader it names, the head first.
VISITORS = {
    # One leader, as most records are
    "Prime Minister Kyriakos Mitsotakis": [("Prime Minister", "Kyriakos Mitsotakis")],
    "King Kalakaua": [("King", "Kalakaua")],
    "Premier Khrushchev": [("Premier", "Khrushchev")],
    "Emperor Dom Pedro II": [("Emperor", "Dom Pedro II")],
    "Crown Prince Akihito": [("Crown Prince", "Akihito")],
    "Grand Duke Jean": [("Grand Duke", "Jean")],
    "First Secretary Edward Gierek": [("First Secretary", "Edward Gierek")],
    "Secretary-General Kofi Annan": [("Secretary-General", "Kofi Annan")],
    "President of the Council of Ministers Aldo Moro": [
        ("President of the Council of Ministers", "Aldo Moro")
    ],
    "President  Giovanni   Leone": [("President", "Giovanni Leone")],
    # The source's typos and spacing
    "Prime Minster Benjamin Netanyahu": [("Prime Minister", "Benjamin Netanyahu")],
    "Prime Ministere Silvio Berlusconi": [("Prime Minister", "Silvio Berlusconi")],
    "Prime MinisterHaidar al- Abadi": [("Prime Minister", "Haidar al-Abadi")],
    "prime minister Jacinda Ardern": [("Prime Minister", "Jacinda Ardern")],
    # Suffixes and prefixes belong to the office
    "President-Elect Carlos Menem": [("President-elect", "Carlos Menem")],
    "President- elect Jair Bolsonaro": [("President-elect", "Jair Bolsonaro")],
    "President elect Fernando Collor de Mello": [("President-elect", "Fernando Collor de Mello")],
    "Chancellor-elect Helmut Kohl": [("Chancellor-elect", "Helmut Kohl")],
    "Prime Minister-designate Ehud Barak": [("Prime Minister-designate", "Ehud Barak")],
    "Interim Prime Minister Ayad Allawi": [("Interim Prime Minister", "Ayad Allawi")],
    "Acting President Hamid Karzai": [("Acting President", "Hamid Karzai")],
    "Deputy Prime Minister Deng Xiaoping": [("Deputy Prime Minister", "Deng Xiaoping")],
    "First Deputy Prime Minister Anastas Mikoyan": [
        ("First Deputy Prime Minister", "Anastas Mikoyan")
    ],
    "Vice-President Ma Jun": [("Vice President", "Ma Jun")],
    # Military ranks and juntas
    "Brigadier General Ignatius Acheampong": [("Brigadier General", "Ignatius Acheampong")],
    "Major General Juvenal Habyarimana": [("Major General", "Juvenal Habyarimana")],
    "Lieutenant Colonel Muammar Qadhafi": [("Lieutenant Colonel", "Muammar Qadhafi")],
    "Admiral Miklos Horthy": [("Admiral", "Miklos Horthy")],
    "Junta Member Jose Napoleon Duarte": [("Junta Member", "Jose Napoleon Duarte")],
    # Honorifics are part of the name
    "Sheikh Hamad bin Khalifa Al Thani": [("", "Sheikh Hamad bin Khalifa Al Thani")],
    "Emir Sheikh Tamim bin Hamad Al Thani": [("Emir", "Sheikh Tamim bin Hamad Al Thani")],
    "Sir Robert Menzies": [("", "Sir Robert Menzies")],
    "Prime Minister Dr. Mahathir Mohamad": [("Prime Minister", "Dr. Mahathir Mohamad")],
    # Several leaders: the head first, then the others
    "President Francesco Cossiga and Prime Minister Giulio Andreotti": [
        ("President", "Francesco Cossiga"),
        ("Prime Minister", "Giulio Andreotti"),
    ],
    "President Alpha Konare & Foreign Minister Modibo Sidibe": [
        ("President", "Alpha Konare"),
        ("Foreign Minister", "Modibo Sidibe"),
    ],
    "King Abdullah and Crown Prince Hussein": [("King", "Abdullah"), ("Crown Prince", "Hussein")],
    "Abdullah and Crown Prince Hussein": [("", "Abdullah"), ("Crown Prince", "Hussein")],
    "and Prime Minister Poul Schluter": [("Prime Minister", "Poul Schluter")],
    "& President Mary Robinson": [("President", "Mary Robinson")],
    # Kept whole: no office, or a part that is no person
    "Madame Chiang Kai-shek": [("", "Madame Chiang Kai-shek")],
    "Kingsley Amis": [("", "Kingsley Amis")],  # "King" must be a whole word
    "Queen": [("", "Queen")],  # an office with no name after it
    "King and Queen of Thailand": [("", "King and Queen of Thailand")],
    "President and Mrs. Kennedy": [("", "President and Mrs. Kennedy")],
    "": [],
}


@pytest.mark.parametrize(("visitor", "expected"), VISITORS.items(), ids=list(VISITORS))
def test_read_visitors(visitor, expected):
    assert read_visitors(visitor) == [Visitor(office, name) for office, name in expected]
